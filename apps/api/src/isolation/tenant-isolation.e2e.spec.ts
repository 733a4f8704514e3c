import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTenantFixture, httpClient, type TenantFixture } from '../test/fixtures';
import { type SessionClient, signUp } from '../test/session-client';
import { startTestApp, type TestApp } from '../test/test-app';
import { buildOtherTenant, type ForeignIds } from './other-tenant-fixtures';

/** Routes not authenticated as a tenant member: relay nodes and operators have their own tokens and tests. */
const NOT_TENANT_ROUTES = [/^\/v1\/relay\//, /^\/v1\/operator\//];

/** A valid body for each route that takes one, so validation passes and the lookup itself is what answers. */
const BODIES: Record<string, unknown> = {
  'PATCH /v1/credentials/{id}': { name: 'renamed' },
  'PATCH /v1/inbound-routes/{id}': { tlsMode: 'opportunistic' },
  'PATCH /v1/domains/{id}': { inboundEnabled: true },
  'PATCH /v1/members/{id}': { role: 'viewer' },
};

interface RouteCall {
  method: string;
  template: string;
  path: string;
  body: unknown;
}

/** Every tenant route with an id in its path, with each id replaced by the other tenant's object of that kind. */
function foreignCalls(document: any, ids: ForeignIds): RouteCall[] {
  const calls: RouteCall[] = [];
  for (const [template, operations] of Object.entries<Record<string, any>>(document.paths)) {
    if (!template.includes('{') || NOT_TENANT_ROUTES.some((pattern) => pattern.test(template))) continue;
    for (const [method, operation] of Object.entries(operations)) {
      const path = template.replace(/([\w-]+)\/\{(\w+)\}/g, (_, segment: string) => {
        const id = ids[segment];
        if (!id) throw new Error(`no other-tenant fixture for "${segment}" in ${template}: add one to buildOtherTenant`);
        return `${segment}/${id}`;
      });
      const key = `${method.toUpperCase()} ${template}`;
      const needsBody = Boolean(operation.requestBody);
      if (needsBody && !(key in BODIES)) throw new Error(`${key} takes a body: add a valid one to BODIES`);
      calls.push({ method: method.toUpperCase(), template, path, body: needsBody ? BODIES[key] : undefined });
    }
  }
  return calls;
}

describe('tenant isolation, generated from the route table', () => {
  let app: TestApp;
  let other: { tenantId: string; ids: ForeignIds };
  let calls: RouteCall[];
  let byKey: TenantFixture;
  let bySession: SessionClient;

  before(async () => {
    app = await startTestApp();
    other = await buildOtherTenant(app);
    const document = (await httpClient(app.url)('GET', '/docs/openapi.json')).body;
    calls = foreignCalls(document, other.ids);
    byKey = await createTenantFixture(app.prisma, 'owner');
    bySession = await signUp(app);
  });
  after(() => app.close());

  it('covers every tenant route that takes an id', () => {
    const templates = new Set(calls.map((call) => call.template));
    for (const expected of ['/v1/domains/{id}', '/v1/credentials/{id}', '/v1/messages/{id}', '/v1/members/{id}']) {
      assert.ok(templates.has(expected), `${expected} is in the suite`);
    }
    assert.ok(calls.length >= 20, `only ${calls.length} calls generated`);
  });

  it("answers 404 to another tenant's ids with an owner's API key", async () => {
    const http = httpClient(app.url, byKey.auth);
    for (const call of calls) {
      const result = await http(call.method, call.path, call.body);
      assert.equal(result.status, 404, `${call.method} ${call.template} by API key → ${result.status} ${JSON.stringify(result.body)}`);
    }
  });

  it("answers 404 to another tenant's ids with an owner's dashboard session", async () => {
    for (const call of calls) {
      const result = await bySession.call(call.method, call.path, call.body);
      assert.equal(result.status, 404, `${call.method} ${call.template} by session → ${result.status} ${JSON.stringify(result.body)}`);
    }
  });

  it("answers 404 when a session names the other tenant in x-tenant-id", async () => {
    const result = await bySession.call('GET', '/v1/domains', undefined, { 'x-tenant-id': other.tenantId });
    assert.equal(result.status, 404);
    const byApiKey = await httpClient(app.url, byKey.auth)('GET', '/v1/domains', undefined, { 'x-tenant-id': other.tenantId });
    assert.equal(byApiKey.status, 404);
  });

  it("refuses another tenant's ids inside request bodies", async () => {
    const http = httpClient(app.url, byKey.auth);
    const route = await http('POST', '/v1/inbound-routes', { domainId: other.ids.domains, pattern: '*', host: 'mx.example.com', port: 25 });
    assert.ok([400, 404].includes(route.status), `inbound route on a foreign domain → ${route.status}`);
    const credential = await http('POST', '/v1/credentials', { name: 'x', allDomains: false, domainIds: [other.ids.domains] });
    assert.ok([400, 404].includes(credential.status), `credential scoped to a foreign domain → ${credential.status}`);
  });

  it("left every object of the other tenant as it was", async () => {
    const { ids, tenantId } = other;
    assert.ok(await app.prisma.domain.findFirst({ where: { id: ids.domains, tenantId, inboundEnabled: false } }));
    assert.ok(await app.prisma.smtpCredential.findFirst({ where: { id: ids.credentials, tenantId, status: 'active', name: 'other' } }));
    assert.ok(await app.prisma.inboundRoute.findFirst({ where: { id: ids['inbound-routes'], tenantId, tlsMode: 'require_verified' } }));
    assert.ok(await app.prisma.suppression.findFirst({ where: { id: ids.suppressions, tenantId } }));
    assert.ok(await app.prisma.apiKey.findFirst({ where: { id: ids['api-keys'], tenantId, revokedAt: null } }));
    assert.ok(await app.prisma.membership.findFirst({ where: { id: ids.members, tenantId, role: 'developer' } }));
    assert.ok(await app.prisma.invitation.findFirst({ where: { id: ids.invitations, tenantId, revokedAt: null } }));
    assert.ok(await app.prisma.dkimKey.findFirst({ where: { id: ids.dkim, domain: { tenantId } } }));
  });
});
