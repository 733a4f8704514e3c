import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startDnsServer, type TestDnsServer } from '@smarthost/testkit';
import type { DomainView } from '../domains/domain-schemas';
import { publish } from '../domains/test/publish-records';
import { createTenantFixture, httpClient, type HttpResult, type TenantFixture } from '../test/fixtures';
import { signUp, type SessionClient } from '../test/session-client';
import { startTestApp, type TestApp } from '../test/test-app';

/** A 400 that names `field`, and no 500 anywhere: the issue-13 contract. */
function assertFieldError(result: HttpResult, field: string, what: string): void {
  assert.equal(result.status, 400, `${what}: ${JSON.stringify(result.body)}`);
  assert.equal(result.body.error.code, 'validation_failed', what);
  assert.ok(
    result.body.error.fields?.some((issue: { field: string }) => issue.field === field),
    `${what}: expected a field ${field} in ${JSON.stringify(result.body)}`,
  );
}

describe('input the storage cannot hold is a 400 naming the field (issue 13)', () => {
  const operatorToken = randomBytes(32).toString('hex');
  let app: TestApp;
  let dns: TestDnsServer;
  let tenant: TenantFixture;
  let asTenant: ReturnType<typeof httpClient>;
  let asOperator: ReturnType<typeof httpClient>;
  let asNode: ReturnType<typeof httpClient>;
  let session: SessionClient;

  before(async () => {
    dns = await startDnsServer();
    app = await startTestApp({ OPERATOR_TOKEN: operatorToken, DNS_SERVERS: dns.server });
    tenant = await createTenantFixture(app.prisma);
    asTenant = httpClient(app.url, tenant.auth);
    asOperator = httpClient(app.url, { authorization: `Bearer ${operatorToken}` });
    const node = await asOperator('POST', '/v1/operator/relay-nodes', { name: 'limits-node' });
    asNode = httpClient(app.url, { authorization: `Bearer ${node.body.token}` });
    session = await signUp(app);
  });
  after(async () => {
    await app.close();
    await dns.close();
  });

  it('cause 1: an x-tenant-id that only looks like a UUID is a 400; an upper-case one is the same tenant', async () => {
    for (const fake of ['ffffffff-ffff-ffff-ffff-fffffffffff-', '------------------------------------', '0123456789abcdef0123456789abcdef0123']) {
      assertFieldError(await session.call('GET', '/v1/domains', undefined, { 'x-tenant-id': fake }), 'header.x-tenant-id', fake);
      assertFieldError(await asTenant('GET', '/v1/domains', undefined, { 'x-tenant-id': fake }), 'header.x-tenant-id', `api key, ${fake}`);
    }
    assert.equal((await session.call('GET', '/v1/tenant', undefined, { 'x-tenant-id': session.tenantId.toUpperCase() })).status, 200);
    assert.equal((await asTenant('GET', '/v1/tenant', undefined, { 'x-tenant-id': tenant.tenantId.toUpperCase() })).status, 200);
  });

  it('cause 2: NUL and lone surrogates are refused in every string, with the field, signed in or not', async () => {
    const http = httpClient(app.url);
    const signup = { email: 'nul@example.test', password: 'correct horse battery staple', name: 'N', tenantName: 'T' };
    assertFieldError(await http('POST', '/v1/auth/signup', { ...signup, name: 'a\u0000b' }), 'body.name', 'signup name');
    assertFieldError(await http('POST', '/v1/auth/signup', { ...signup, tenantName: 'x\u0000' }), 'body.tenantName', 'signup tenantName');
    assertFieldError(await asTenant('POST', '/v1/api-keys', { name: 'lone \ud800', role: 'viewer' }), 'body.name', 'api key lone surrogate');
    assertFieldError(await asTenant('POST', '/v1/api-keys', { name: 'lone \udc00 low', role: 'viewer' }), 'body.name', 'api key low surrogate');
    assertFieldError(await asTenant('POST', '/v1/credentials', { name: 'c\u0000' }), 'body.name', 'credential name');
    assertFieldError(await asTenant('PATCH', '/v1/tenant', { name: '\u0000' }), 'body.name', 'tenant name');
    assertFieldError(await asTenant('POST', '/v1/suppressions', { address: 'a@example.com', detail: 'x\u0000y' }), 'body.detail', 'suppression detail');
    assertFieldError(await asTenant('GET', '/v1/suppressions?prefix=%00'), 'query.prefix', 'suppression prefix');
    assertFieldError(await asTenant('POST', '/v1/billing/checkout', { planId: 'pro\u0000' }), 'body.planId', 'checkout planId');
    assertFieldError(await asOperator('PATCH', `/v1/operator/tenants/${tenant.tenantId}`, { planId: '\u0000' }), 'body.planId', 'operator planId');
    const beat = { version: '1.0\u0000', publicIps: [], policyVersion: null, queueDepth: null };
    assertFieldError(await asNode('POST', '/v1/relay/heartbeat', beat), 'body.version', 'heartbeat version');
    // Well-formed astral characters (a surrogate pair) are ordinary text.
    assert.equal((await asTenant('POST', '/v1/api-keys', { name: 'key 📬', role: 'viewer' })).status, 201);
  });

  it('cause 3: concurrent verifications of one domain each answer with the verified domain', async () => {
    const domain: DomainView = (await asTenant('POST', '/v1/domains', { name: 'race.example' })).body;
    publish(dns, domain);
    const results = await Promise.all(Array.from({ length: 16 }, () => asTenant('POST', `/v1/domains/${domain.id}/verify`)));
    assert.deepEqual(
      results.map((result) => [result.status, result.body.status]),
      results.map(() => [200, 'verified']),
    );
    const audit = await asTenant('GET', '/v1/audit?action=domain.verified');
    assert.equal(audit.body.items.filter((entry: { target: { id: string } }) => entry.target.id === domain.id).length, 1, 'verified once');
  });

  it('cause 4: integers beyond their int4 columns are refused by the schema', async () => {
    const path = `/v1/operator/tenants/${tenant.tenantId}`;
    for (const field of ['messagesPerDay', 'messagesPerMonth', 'messagesPerMinute', 'maxMessageBytes']) {
      assertFieldError(await asOperator('PATCH', path, { overrides: { [field]: 2 ** 31 } }), `body.overrides.${field}`, field);
      assertFieldError(await asOperator('PATCH', path, { overrides: { [field]: 2 ** 53 } }), `body.overrides.${field}`, `${field} 2^53`);
    }
    assert.equal((await asOperator('PATCH', path, { overrides: { messagesPerDay: 2 ** 31 - 1 } })).status, 200);
    const beat = { version: '1.0', publicIps: [], policyVersion: null };
    assertFieldError(await asNode('POST', '/v1/relay/heartbeat', { ...beat, queueDepth: 2 ** 31 }), 'body.queueDepth', 'queueDepth');
    assert.equal((await asNode('POST', '/v1/relay/heartbeat', { ...beat, queueDepth: 2 ** 31 - 1 })).status, 200);
  });

  it('cause 5: dates outside the accepted range are refused, and bucket rounding stays inside it', async () => {
    assertFieldError(await asTenant('GET', '/v1/messages?from=0000-01-01T00:00:00Z'), 'query.from', 'messages from');
    assertFieldError(await asTenant('GET', '/v1/stats?to=0000-01-01T00:00:00Z'), 'query.to', 'stats to');
    assertFieldError(await asTenant('GET', '/v1/stats/domains?to=0000-01-01T00:00:00Z'), 'query.to', 'stats/domains to');
    const far = await asTenant('GET', '/v1/stats?from=9999-12-30T00:00:00Z&to=9999-12-31T23:59:59Z');
    assertFieldError(far, 'query.from', 'stats in year 9999');
    // The last accepted hour and the first: rounding to whole buckets must not step outside the range.
    const edge = await asTenant('GET', '/v1/stats?from=2999-12-31T22:30:00Z&to=2999-12-31T23:59:59.999Z');
    assert.equal(edge.status, 200, JSON.stringify(edge.body));
    assert.equal(edge.body.to, '3000-01-01T00:00:00.000Z');
    const epoch = await asTenant('GET', '/v1/stats/domains?to=1970-01-02T00:00:00Z');
    assert.equal(epoch.status, 200, JSON.stringify(epoch.body));
    assert.equal(epoch.body.from, '1970-01-01T00:00:00.000Z');
    assertFieldError(await asTenant('POST', '/v1/api-keys', { name: 'k', role: 'viewer', expiresAt: '9999-12-31T00:00:00Z' }), 'body.expiresAt', 'key expiry');
  });

  it('cause 6: cursors beyond their column are refused', async () => {
    assertFieldError(await asTenant('GET', '/v1/audit?cursor=9999999999999999999'), 'query.cursor', 'audit cursor');
    assert.equal((await asTenant('GET', '/v1/audit?cursor=9223372036854775807')).status, 200);
    assertFieldError(await asTenant('GET', '/v1/messages?cursor=999999999999999-01ARZ3NDEKTSV4RRFFQ69G5FAV'), 'query.cursor', 'messages cursor');
  });

  it('cause 7: an upper-case domain id serves the same DKIM key as the lower-case one', async () => {
    const domain: DomainView = (await asTenant('POST', '/v1/domains', { name: 'upper.example' })).body;
    publish(dns, domain);
    assert.equal((await asTenant('POST', `/v1/domains/${domain.id}/verify`)).body.status, 'verified');
    const lower = await asNode('GET', `/v1/relay/dkim/${domain.id}`);
    const upper = await asNode('GET', `/v1/relay/dkim/${domain.id.toUpperCase()}`);
    assert.equal(lower.status, 200);
    assert.equal(upper.status, 200, JSON.stringify(upper.body));
    assert.equal(upper.body.privateKeyPem, lower.body.privateKeyPem);
  });

  it('numbers in queries are decimal only', async () => {
    for (const limit of ['0x10', '1e1', ' 5', '+5', '5.0', '0b11']) {
      assertFieldError(await asTenant('GET', `/v1/domains?limit=${encodeURIComponent(limit)}`), 'query.limit', `limit=${limit}`);
    }
    assert.equal((await asTenant('GET', '/v1/domains?limit=16')).status, 200);
    const started = Date.now();
    assertFieldError(await asNode('GET', '/v1/relay/policy/changes?since=0&wait=0x10'), 'query.wait', 'wait=0x10');
    assert.ok(Date.now() - started < 10_000, 'refused at once, not long-polled');
  });
});

describe('only JSON bodies, and malformed JSON without echo (issue 13)', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  const send = (path: string, body: string, contentType?: string) =>
    httpClient(app.url)('POST', path, body, contentType === undefined ? {} : { 'content-type': contentType });

  it('refuses form, text and multipart bodies with 415 on JSON routes, public log-in and sign-up included', async () => {
    const form = 'email=victim%40example.test&password=attacker-chosen-password';
    for (const path of ['/v1/auth/login', '/v1/auth/signup', '/v1/domains']) {
      for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x', 'application/jsonx']) {
        const result = await send(path, form, type);
        assert.equal(result.status, 415, `${path} ${type}: ${JSON.stringify(result.body)}`);
        assert.equal(result.body.error.code, 'unsupported_media_type');
      }
    }
    const untyped = await fetch(`${app.url}/v1/auth/login`, { method: 'POST', body: new Uint8Array(Buffer.from('{"email":"a@b.c"}')) });
    assert.equal(untyped.status, 415, 'a body without a content type');
    const json = await send('/v1/auth/login', JSON.stringify({ email: 'nobody@example.test', password: 'x' }), 'application/json; charset=utf-8');
    assert.equal(json.status, 401, 'JSON with a charset is still JSON');
  });

  it('answers malformed JSON with a 400 naming body, without the parser text or the bytes', async () => {
    const secret = 'hunter2-do-not-echo';
    const result = await send('/v1/auth/login', `{"email": "a@b.c", "password": "${secret}"`, 'application/json');
    assertFieldError(result, 'body', 'malformed JSON');
    const text = JSON.stringify(result.body);
    assert.ok(!text.includes(secret) && !/position|Unexpected|token/i.test(text), text);
  });
});
