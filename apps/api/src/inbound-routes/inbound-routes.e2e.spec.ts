import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { secretDigest } from '@smarthost/relay-policy';
import { startDnsServer, type TestDnsServer } from '@smarthost/testkit';
import { insertDomain } from '../policy/policy-fixtures';
import { createTenantFixture, httpClient, type TenantFixture } from '../test/fixtures';
import { startTestApp, type TestApp } from '../test/test-app';

const RELAY = 'relay.smarthost.test';

describe('inbound routes API', () => {
  let app: TestApp;
  let dns: TestDnsServer;
  let a: TenantFixture;
  let asA: ReturnType<typeof httpClient>;
  let asB: ReturnType<typeof httpClient>;
  let verified: { id: string; name: string };
  let pending: { id: string; name: string };
  let foreign: { id: string; name: string };
  const fieldsOf = (body: { error: { fields?: { field: string }[] } }) => body.error.fields?.map((f) => f.field);
  const create = async (body: Record<string, unknown>) => {
    const response = await asA('POST', '/v1/inbound-routes', { domainId: verified.id, tlsMode: 'opportunistic', ...body });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body;
  };

  before(async () => {
    dns = await startDnsServer();
    app = await startTestApp({ RELAY_HOSTNAME: RELAY, DNS_SERVERS: dns.server });
    a = await createTenantFixture(app.prisma);
    const b = await createTenantFixture(app.prisma);
    asA = httpClient(app.url, a.auth);
    asB = httpClient(app.url, b.auth);
    verified = await insertDomain(app.prisma, a.tenantId, 'verified');
    pending = await insertDomain(app.prisma, a.tenantId, 'pending');
    foreign = await insertDomain(app.prisma, b.tenantId, 'verified');
  });
  after(async () => {
    await app?.close();
    await dns?.close();
  });

  it('creates a forward route to a host name, defaulting the port, and records a policy change', async () => {
    const route = await create({ pattern: 'Support', host: 'MX.Customer.example.', tlsMode: 'require_unverified' });
    assert.equal(route.pattern, 'support');
    assert.equal(route.action, 'forward');
    assert.equal(route.host, 'mx.customer.example');
    assert.equal(route.port, 25);
    assert.equal(route.tlsMode, 'require_unverified');
    const changes = await app.prisma.policyChange.findMany({ where: { entityId: route.id } });
    assert.deepEqual(changes.map((c) => [c.entity, c.op]), [['inboundRoute', 'upsert']]);
    const audit = await app.prisma.auditLog.findFirst({ where: { targetId: route.id } });
    assert.equal(audit?.action, 'inboundRoute.created');
  });

  it('accepts a catch-all to loopback under NODE_ENV=test and public IPs, and a reject route without a target', async () => {
    const sink = await create({ pattern: '*', host: '127.0.0.1', port: 2525 });
    assert.deepEqual([sink.host, sink.port], ['127.0.0.1', 2525]);
    const v6 = await create({ pattern: 'v6', host: '[2001:4860:4860::8888]', port: 25 });
    assert.equal(v6.host, '2001:4860:4860::8888');
    const reject = await create({ pattern: 'noreply', action: 'reject' });
    assert.deepEqual([reject.action, reject.host, reject.port], ['reject', null, null]);
    const rejectWithHost = await asA('POST', '/v1/inbound-routes', { domainId: verified.id, pattern: 'r2', action: 'reject', host: 'mx.example.com' });
    assert.deepEqual(fieldsOf(rejectWithHost.body), ['body.host']);
  });

  it('verifies the certificate unless told otherwise, and takes the three TLS modes only', async () => {
    const defaulted = await asA('POST', '/v1/inbound-routes', { domainId: verified.id, pattern: 'tls-default', host: 'mx.example.com' });
    assert.equal(defaulted.status, 201, JSON.stringify(defaulted.body));
    assert.equal(defaulted.body.tlsMode, 'require_verified');
    const relaxed = await asA('PATCH', `/v1/inbound-routes/${defaulted.body.id}`, { tlsMode: 'require_unverified' });
    assert.equal(relaxed.body.tlsMode, 'require_unverified');
    assert.equal((await asA('PATCH', `/v1/inbound-routes/${defaulted.body.id}`, { port: 587 })).body.tlsMode, 'require_unverified', 'kept');
    for (const tlsMode of ['verify', true, '', 'REQUIRE_VERIFIED']) {
      const response = await asA('POST', '/v1/inbound-routes', { domainId: verified.id, pattern: 'tls-bad', host: 'mx.example.com', tlsMode });
      assert.equal(response.status, 400, String(tlsMode));
      assert.deepEqual(fieldsOf(response.body), ['body.tlsMode'], String(tlsMode));
    }
    const patched = await asA('PATCH', `/v1/inbound-routes/${defaulted.body.id}`, { tlsMode: 'none' });
    assert.deepEqual(fieldsOf(patched.body), ['body.tlsMode']);
    // The old boolean is gone: a client still sending it is told, rather than silently getting another mode.
    const legacy = await asA('POST', '/v1/inbound-routes', { domainId: verified.id, pattern: 'tls-legacy', host: 'mx.example.com', requireTls: true });
    assert.equal(legacy.status, 400);
    assert.match(JSON.stringify(legacy.body), /requireTls/);
  });

  it('answers 409 for a second route with the same domain and pattern', async () => {
    await create({ pattern: 'dup', host: 'mx.example.com' });
    const again = await asA('POST', '/v1/inbound-routes', { domainId: verified.id, pattern: 'DUP', host: 'mx2.example.com' });
    assert.equal(again.status, 409);
  });

  it('refuses unverified, foreign and unknown domains naming body.domainId', async () => {
    for (const domainId of [pending.id, foreign.id, randomUUID()]) {
      const response = await asA('POST', '/v1/inbound-routes', { domainId, pattern: '*', host: 'mx.example.com' });
      assert.equal(response.status, 400, domainId);
      assert.deepEqual(fieldsOf(response.body), ['body.domainId']);
    }
  });

  it('refuses private, link-local and reserved targets, our own relay, and bad patterns', async () => {
    const hosts = ['10.0.0.5', '192.168.1.1', '172.16.0.1', '169.254.169.254', 'fd00::1', 'fe80::1', '203.0.113.10', '0.0.0.0', '224.0.0.1', RELAY, 'localhost', 'bad_host!.example', '10.1'];
    for (const host of hosts) {
      const response = await asA('POST', '/v1/inbound-routes', { domainId: verified.id, pattern: 'x', host });
      assert.equal(response.status, 400, host);
      assert.deepEqual(fieldsOf(response.body), ['body.host'], host);
    }
    const missingHost = await asA('POST', '/v1/inbound-routes', { domainId: verified.id, pattern: 'x' });
    assert.deepEqual(fieldsOf(missingHost.body), ['body.host']);
    for (const pattern of ['a%b', 'a!b', '"q"', 'two words', '', 'x'.repeat(65), 'ünï']) {
      const response = await asA('POST', '/v1/inbound-routes', { domainId: verified.id, pattern, host: 'mx.example.com' });
      assert.equal(response.status, 400, pattern);
      assert.deepEqual(fieldsOf(response.body), ['body.pattern'], pattern);
    }
    const badPort = await asA('POST', '/v1/inbound-routes', { domainId: verified.id, pattern: 'p', host: 'mx.example.com', port: 70000 });
    assert.deepEqual(fieldsOf(badPort.body), ['body.port']);
    const badAction = await asA('POST', '/v1/inbound-routes', { domainId: verified.id, pattern: 'p', action: 'drop' });
    assert.deepEqual(fieldsOf(badAction.body), ['body.action']);
  });

  it('lists by domain, gets, updates and deletes', async () => {
    const route = await create({ pattern: 'sales', host: 'mx.example.com' });
    const listed = await asA('GET', `/v1/inbound-routes?domainId=${verified.id}&limit=200`);
    assert.equal(listed.status, 200);
    assert.ok(listed.body.items.some((item: { id: string }) => item.id === route.id));
    assert.equal((await asA('GET', `/v1/inbound-routes/${route.id}`)).body.pattern, 'sales');

    const moved = await asA('PATCH', `/v1/inbound-routes/${route.id}`, { host: '1.1.1.1', port: 2525 });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.deepEqual([moved.body.host, moved.body.port], ['1.1.1.1', 2525]);
    const rejecting = await asA('PATCH', `/v1/inbound-routes/${route.id}`, { action: 'reject' });
    assert.deepEqual([rejecting.body.action, rejecting.body.host, rejecting.body.port], ['reject', null, null]);
    const forwardWithoutHost = await asA('PATCH', `/v1/inbound-routes/${route.id}`, { action: 'forward' });
    assert.deepEqual(fieldsOf(forwardWithoutHost.body), ['body.host']);
    assert.deepEqual(fieldsOf((await asA('PATCH', `/v1/inbound-routes/${route.id}`, { host: 'mx.example.com' })).body), ['body.host']);
    const privateTarget = await asA('PATCH', `/v1/inbound-routes/${route.id}`, { action: 'forward', host: '10.9.9.9' });
    assert.deepEqual(fieldsOf(privateTarget.body), ['body.host']);
    const back = await asA('PATCH', `/v1/inbound-routes/${route.id}`, { action: 'forward', host: 'mx.example.com' });
    assert.deepEqual([back.body.action, back.body.host, back.body.port], ['forward', 'mx.example.com', 25]);
    assert.equal((await asA('PATCH', `/v1/inbound-routes/${route.id}`, {})).status, 400);

    assert.equal((await asA('DELETE', `/v1/inbound-routes/${route.id}`)).status, 204);
    assert.equal((await asA('GET', `/v1/inbound-routes/${route.id}`)).status, 404);
    const ops = await app.prisma.policyChange.findMany({ where: { entityId: route.id }, orderBy: { version: 'asc' } });
    assert.deepEqual(ops.map((c) => c.op), ['upsert', 'upsert', 'upsert', 'upsert', 'delete']);
  });

  it('refuses a route back into the relay: a node\'s reported address, a name resolving to one, or to the relay host', async () => {
    await app.prisma.relayNode.create({ data: { name: 'relay-a', tokenDigest: secretDigest('loop-test-node-token'), publicIps: ['45.67.89.7', '2a01:4f8::25'] } });
    dns.set('loop.customer.example', 'A', ['45.67.89.7']);
    dns.set('loop6.customer.example', 'AAAA', ['2a01:4f8::25']);
    dns.set(RELAY, 'A', ['45.67.89.9']);
    dns.set('fine.customer.example', 'A', ['45.67.89.44']);
    for (const host of ['45.67.89.7', '::ffff:45.67.89.7', 'loop.customer.example', 'loop6.customer.example', '45.67.89.9']) {
      const response = await asA('POST', '/v1/inbound-routes', { domainId: verified.id, pattern: 'loop', host });
      assert.equal(response.status, 400, host);
      assert.deepEqual(fieldsOf(response.body), ['body.host'], host);
      assert.match(JSON.stringify(response.body), /relay node's address.*mail would loop/, host);
    }
    const route = await create({ pattern: 'loop', host: 'fine.customer.example' });
    const moved = await asA('PATCH', `/v1/inbound-routes/${route.id}`, { host: 'loop.customer.example' });
    assert.deepEqual([moved.status, fieldsOf(moved.body)], [400, ['body.host']]);
  });

  it("answers 404 for another tenant's route and shows it nothing", async () => {
    const route = await create({ pattern: 'private', host: 'mx.example.com' });
    const path = `/v1/inbound-routes/${route.id}`;
    assert.equal((await asB('GET', path)).status, 404);
    assert.equal((await asB('PATCH', path, { host: 'evil.example.com' })).status, 404);
    assert.equal((await asB('DELETE', path)).status, 404);
    assert.deepEqual((await asB('GET', '/v1/inbound-routes')).body.items, []);
    assert.equal((await asA('GET', path)).body.host, 'mx.example.com');
    assert.equal((await asA('GET', '/v1/inbound-routes/not-a-uuid')).status, 400);
  });
});
