import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startDnsServer, startFakeStripe, type FakeStripe, type TestDnsServer } from '@smarthost/testkit';
import fc from 'fast-check';
import { httpClient } from '../test/fixtures';
import { type AuthKind, buildFuzzWorld, type FuzzWorld } from '../test/fuzz/fuzz-world';
import { baseValue, type JsonSchema, jsonValues, type Sample, textValues } from '../test/fuzz/schema-values';
import { startTestApp, type TestApp } from '../test/test-app';

/**
 * Issue 13's generator, kept: every operation in the OpenAPI document gets generated inputs, forbidden and
 * allowed, as each kind of caller it admits. It fails on any 5xx, any 2xx to forbidden input, any validation 400
 * that names no field, and any answer slower than RESPONSE_BOUND_MS. FUZZ_SEED reruns a failure; FUZZ_RUNS scales.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 13);
const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 32);
/** Generous for a loaded 2-core CI machine; the slowest honest answer (argon2 at sign-up) is far below it. */
const RESPONSE_BOUND_MS = 5_000;

interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  schema?: JsonSchema;
}
interface Operation {
  method: string;
  path: string;
  parameters?: Parameter[];
  requestBody?: { content: { 'application/json'?: { schema: JsonSchema } } };
  security?: Record<string, string[]>[];
}

interface FuzzRequest {
  auth: AuthKind;
  sample: Sample;
  path: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Raw bytes and content type, when the mutation is the body's encoding itself. */
  body?: { text: string; type: string } | { json: unknown };
}

/**
 * Operations a plain, valid request would spoil for the rest of the run: logging the fuzzer's session out. They
 * still get every mutated input.
 */
const NO_PLAIN_REQUEST = new Set(['POST /v1/auth/logout']);
/** Long-polls for as many seconds as asked: allowed values are sent as 0, forbidden ones as generated. */
const LONG_POLL_PARAMS = new Set(['wait']);

function operationsOf(document: { paths: Record<string, Record<string, Omit<Operation, 'method' | 'path'>>> }): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ ...op, method: method.toUpperCase(), path })));
}

function authKinds(op: Operation): AuthKind[] {
  const schemes = new Set((op.security ?? []).flatMap((requirement) => Object.keys(requirement)));
  if (schemes.size === 0) return ['anonymous'];
  const tenantScoped = op.parameters?.some((p) => p.in === 'header' && p.name === 'x-tenant-id') ?? false;
  const kinds: AuthKind[] = [];
  if (schemes.has('bearer')) kinds.push('apiKey');
  if (schemes.has('cookie')) kinds.push(tenantScoped ? 'session' : 'user');
  if (schemes.has('operator')) kinds.push('operator');
  if (schemes.has('relay-node')) kinds.push('node');
  return kinds;
}

/** One request: a valid base with exactly one generated value in one place. */
function requests(op: Operation, world: FuzzWorld): fc.Arbitrary<FuzzRequest> {
  const params = op.parameters ?? [];
  const base = (p: Parameter) => String(LONG_POLL_PARAMS.has(p.name) ? 0 : baseValue(p.schema ?? {}, world.hints, p.name));
  const basePath = Object.fromEntries(params.filter((p) => p.in === 'path').map((p) => [p.name, base(p)]));
  const baseQuery = Object.fromEntries(params.filter((p) => p.in === 'query' && (p.required || LONG_POLL_PARAMS.has(p.name))).map((p) => [p.name, base(p)]));
  const bodySchema = op.requestBody?.content['application/json']?.schema;
  const mutations: fc.Arbitrary<Omit<FuzzRequest, 'auth'>>[] = [];
  const at = (sample: Sample, change: Partial<FuzzRequest>) => ({ sample, path: basePath, query: baseQuery, headers: {}, ...change });
  for (const p of params.filter((p) => p.name !== 'x-csrf-token')) {
    const values = textValues(p.schema ?? {}, world.hints, `${p.in}.${p.name}`, p.in, resourceKind(op.path, p.name)).map((s) =>
      LONG_POLL_PARAMS.has(p.name) && s.verdict === 'allowed' ? { ...s, value: '0' } : s,
    );
    mutations.push(
      values.map((s) => {
        const value = String(s.value);
        if (p.in === 'path') return at(s, { path: { ...basePath, [p.name]: value } });
        if (p.in === 'query') return at(s, { query: { ...baseQuery, [p.name]: value } });
        return at(s, { headers: { [p.name]: value } });
      }),
    );
  }
  if (bodySchema) {
    mutations.push(jsonValues(bodySchema, world.hints, 'body').map((s) => at(s, { body: { json: s.value } })));
  }
  if (op.method !== 'GET') {
    const forbidden = (what: string) => ({ verdict: 'forbidden' as const, value: what, at: 'body encoding' });
    const raw = [
      { text: '{"a": ', type: 'application/json', what: 'malformed JSON' },
      { text: `{"secret": "${'x'.repeat(20)}"`, type: 'application/json', what: 'truncated JSON' },
      { text: 'email=a%40b.c&password=x', type: 'application/x-www-form-urlencoded', what: 'form body' },
      { text: '{"name":"x"}', type: 'text/plain', what: 'JSON as text/plain' },
    ];
    mutations.push(fc.constantFrom(...raw).map((r) => at(forbidden(r.what), { body: { text: r.text, type: r.type } })));
  }
  const plain = { sample: { verdict: 'allowed' as const, value: null, at: 'plain request' }, path: basePath, query: baseQuery, headers: {} };
  const weighted = mutations.map((arbitrary) => ({ arbitrary, weight: 3 }));
  if (!NO_PLAIN_REQUEST.has(`${op.method} ${op.path}`) && bodySchema === undefined) weighted.push({ arbitrary: fc.constant(plain), weight: 1 });
  if (weighted.length === 0) weighted.push({ arbitrary: fc.constant({ ...plain, body: { text: '{', type: 'application/json' } }), weight: 1 });
  return fc.record({ auth: fc.constantFrom(...authKinds(op)), rest: fc.oneof(...weighted) }).map(({ auth, rest }) => ({ auth, ...rest }));
}

/** Which ids a path parameter takes: `{domainId}` and `{keyId}` say so, `{id}` is whatever the segment before it lists. */
function resourceKind(path: string, name: string): string {
  if (name !== 'id') return name;
  return /\/([\w-]+)\/\{id\}/.exec(path)?.[1] ?? '';
}

async function send(app: TestApp, world: FuzzWorld, op: Operation, request: FuzzRequest) {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(request.path[name] ?? ''));
  const query = new URLSearchParams(request.query).toString();
  const headers: Record<string, string> = { ...world.headers[request.auth], ...request.headers };
  let body: string | undefined;
  if (request.body && 'text' in request.body) [body, headers['content-type']] = [request.body.text, request.body.type];
  else if (request.body) [body, headers['content-type']] = [JSON.stringify(request.body.json), 'application/json'];
  const started = performance.now();
  const response = await fetch(`${app.url}${path}${query ? `?${query}` : ''}`, { method: op.method, headers, body, signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  return { status: response.status, text, ms: performance.now() - started };
}

/** What the API owes every request; a message when it did not deliver it. */
function breach(request: FuzzRequest, result: { status: number; text: string; ms: number }): string | undefined {
  if (result.status >= 500) return `answered ${result.status}`;
  if (result.ms > RESPONSE_BOUND_MS) return `took ${Math.round(result.ms)} ms`;
  if (request.sample.verdict === 'forbidden' && result.status < 300) return `accepted forbidden input with ${result.status}`;
  if (result.status === 400) {
    const error = (JSON.parse(result.text) as { error?: { code?: string; fields?: unknown[] } }).error;
    if (error?.code === 'validation_failed' && !error.fields?.length) return 'a validation 400 names no field';
  }
  return undefined;
}

describe('OpenAPI-driven fuzzing: no input makes the API answer 5xx (issue 13)', () => {
  const operatorToken = randomBytes(32).toString('hex');
  let app: TestApp;
  let dns: TestDnsServer;
  let stripe: FakeStripe;
  let world: FuzzWorld;
  let operations: Operation[];

  before(async () => {
    dns = await startDnsServer();
    const secretKey = `sk_test_${randomBytes(12).toString('hex')}`;
    const webhookSecret = `whsec_${randomBytes(16).toString('hex')}`;
    stripe = await startFakeStripe({ secretKey, webhookSecret, prices: [{ id: 'price_starter', unitAmount: 1500, currency: 'usd' }] });
    app = await startTestApp({
      OPERATOR_TOKEN: operatorToken,
      DNS_SERVERS: dns.server,
      STRIPE_SECRET_KEY: secretKey,
      STRIPE_WEBHOOK_SECRET: webhookSecret,
      STRIPE_API_URL: stripe.url,
      STRIPE_PRICES: 'starter=price_starter',
      LOG_LEVEL: 'warn',
    });
    world = await buildFuzzWorld(app, dns, operatorToken);
    operations = operationsOf((await httpClient(app.url)('GET', '/docs/openapi.json')).body);
  });
  after(async () => {
    await app.close();
    await stripe.close();
    await dns.close();
  });

  it(`walks every operation with generated input (seed ${SEED}, ${RUNS_PER_OPERATION} runs each)`, async () => {
    assert.ok(operations.length >= 60, `the document lists ${operations.length} operations`);
    let sent = 0;
    const started = performance.now();
    for (const op of operations) {
      const property = fc.asyncProperty(requests(op, world), async (request) => {
        const result = await send(app, world, op, request);
        sent += 1;
        const failure = breach(request, result);
        if (failure) {
          throw new Error(`${op.method} ${op.path} as ${request.auth}, ${request.sample.verdict} ${request.sample.at}: ${failure}: ${result.text.slice(0, 300)}`);
        }
      });
      // fast-check's report carries the seed and the shrunk request; FUZZ_SEED=<seed> replays it.
      await fc.assert(property, { seed: SEED, numRuns: RUNS_PER_OPERATION, endOnFailure: true });
    }
    const seconds = (performance.now() - started) / 1000;
    assert.ok(sent >= operations.length * RUNS_PER_OPERATION, `sent ${sent} requests in ${seconds.toFixed(1)} s`);
  });
});
