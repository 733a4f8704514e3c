import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { httpClient } from '../test/fixtures';
import { startTestApp, type TestApp } from '../test/test-app';

type Operation = { security?: Record<string, string[]>[]; parameters?: { in: string; name: string; schema?: Record<string, unknown> }[] };
type Document = { components: { securitySchemes: Record<string, unknown> }; paths: Record<string, Record<string, Operation>> };

function operations(document: Document): [string, Operation][] {
  return Object.entries(document.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]): [string, Operation] => [`${method.toUpperCase()} ${path}`, op]));
}

describe('the OpenAPI document (issue 13)', () => {
  let app: TestApp;
  let document: Document;

  before(async () => {
    app = await startTestApp();
    document = (await httpClient(app.url)('GET', '/docs/openapi.json')).body;
  });
  after(() => app.close());

  it('is valid against the OpenAPI 3.1 schema', async () => {
    const result = await new Validator().validate(document as never);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 1)?.slice(0, 4000));
  });

  it('defines every security scheme an operation uses', () => {
    const defined = new Set(Object.keys(document.components.securitySchemes));
    assert.ok(defined.has('operator') && defined.has('relay-node'), [...defined].join(','));
    for (const [name, op] of operations(document)) {
      for (const requirement of op.security ?? []) {
        for (const scheme of Object.keys(requirement)) assert.ok(defined.has(scheme), `${name} uses undefined scheme ${scheme}`);
      }
    }
  });

  it('documents every path parameter with a schema, and bounds every integer a client sends in a query', () => {
    for (const [name, op] of operations(document)) {
      const inPath = [...name.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      for (const param of inPath) {
        const documented = op.parameters?.find((p) => p.in === 'path' && p.name === param);
        assert.ok(documented?.schema?.type, `${name}: path parameter ${param} has no schema`);
      }
      for (const param of op.parameters ?? []) {
        if (param.schema?.type !== 'integer') continue;
        assert.ok(typeof param.schema.maximum === 'number' && typeof param.schema.minimum === 'number', `${name}: ${param.name} is unbounded`);
      }
    }
  });
});
