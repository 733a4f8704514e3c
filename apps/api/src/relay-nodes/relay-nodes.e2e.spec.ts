import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { MAX_CREDENTIAL_USES_PER_HEARTBEAT, secretDigest } from '@smarthost/relay-policy';
import { strangerToken } from '../policy/policy-fixtures';
import { createTenantFixture, httpClient } from '../test/fixtures';
import { startTestApp, type TestApp } from '../test/test-app';

describe('relay nodes: operator registration, heartbeat, health', () => {
  const operatorToken = randomBytes(32).toString('hex');
  let app: TestApp;
  let asOperator: ReturnType<typeof httpClient>;
  const fieldsOf = (body: { error: { fields?: { field: string }[] } }) => body.error.fields?.map((f) => f.field);
  const register = async (name: string) => {
    const response = await asOperator('POST', '/v1/operator/relay-nodes', { name });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body as { id: string; name: string; token: string };
  };
  const heartbeat = (token: string, body: unknown) =>
    httpClient(app.url, { authorization: `Bearer ${token}` })('POST', '/v1/relay/heartbeat', body);
  const beat = { version: '1.2.3', publicIps: ['198.51.100.7', '2001:DB8::7'], policyVersion: 0, queueDepth: 12 };

  before(async () => {
    app = await startTestApp({ OPERATOR_TOKEN: operatorToken });
    asOperator = httpClient(app.url, { authorization: `Bearer ${operatorToken}` });
  });
  after(async () => {
    await app?.close();
  });

  it('refuses operator routes without the operator token, with a wrong one, or with a tenant API key', async () => {
    const tenant = await createTenantFixture(app.prisma);
    const callers: Record<string, string>[] = [{}, { authorization: `Bearer ${randomBytes(32).toString('hex')}` }, { authorization: `Bearer ${operatorToken}x` }, tenant.auth];
    for (const headers of callers) {
      const client = httpClient(app.url, headers);
      assert.equal((await client('GET', '/v1/operator/relay-nodes')).status, 401);
      assert.equal((await client('POST', '/v1/operator/relay-nodes', { name: 'sneaky' })).status, 401);
    }
    assert.equal(await app.prisma.relayNode.count({ where: { name: 'sneaky' } }), 0);
  });

  it('registers a node: the token is shown once and stored as a digest', async () => {
    const node = await register('relay-a.example');
    assert.match(node.token, /^shn_[A-Za-z0-9_-]{43}$/);
    const row = await app.prisma.relayNode.findUniqueOrThrow({ where: { id: node.id } });
    assert.equal(row.tokenDigest, secretDigest(node.token));
    const listed = await asOperator('GET', '/v1/operator/relay-nodes');
    assert.ok(!JSON.stringify(listed.body).includes(node.token));
    assert.ok(!JSON.stringify(listed.body).includes(row.tokenDigest));
    assert.ok(!app.logs.some((line) => line.includes(node.token)));
    assert.equal((await asOperator('POST', '/v1/operator/relay-nodes', { name: 'relay-a.example' })).status, 409);
    for (const name of ['', 'has space', '-leading', 'x'.repeat(64)]) {
      const response = await asOperator('POST', '/v1/operator/relay-nodes', { name });
      assert.equal(response.status, 400, name);
      assert.deepEqual(fieldsOf(response.body), ['body.name']);
    }
  });

  it('accepts a heartbeat from a node and reports its health', async () => {
    const node = await register('relay-b.example');
    const before = await asOperator('GET', '/v1/operator/relay-nodes');
    const fresh = before.body.items.find((item: { id: string }) => item.id === node.id);
    assert.equal(fresh.lastHeartbeatAt, null);
    assert.equal(fresh.stalenessSeconds, null);
    assert.equal(fresh.stale, true);

    const tenant = await createTenantFixture(app.prisma);
    await app.prisma.policyChange.createMany({
      data: [1, 2, 3].map((i) => ({ tenantId: tenant.tenantId, entity: 'tenant' as const, entityId: tenant.tenantId, op: 'upsert' as const, createdAt: new Date(Date.now() - i) })),
    });
    const current = Number((await app.prisma.policyChange.aggregate({ _max: { version: true } }))._max.version);
    const reply = await heartbeat(node.token, { ...beat, policyVersion: current - 2 });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.deepEqual(reply.body, { status: 'active', statusReason: null, policyVersion: current });

    const health = await asOperator('GET', '/v1/operator/relay-nodes');
    assert.equal(health.body.currentPolicyVersion, current);
    const item = health.body.items.find((entry: { id: string }) => entry.id === node.id);
    assert.equal(item.version, '1.2.3');
    assert.deepEqual(item.publicIps, ['198.51.100.7', '2001:db8::7']);
    assert.equal(item.queueDepth, 12);
    assert.equal(item.policyVersion, current - 2);
    assert.equal(item.policyLag, 2);
    assert.ok(item.stalenessSeconds >= 0 && item.stalenessSeconds <= 5, String(item.stalenessSeconds));
    assert.equal(item.stale, false);
    assert.ok(Date.parse(item.lastHeartbeatAt) > Date.now() - 60_000);
  });

  it('accepts a node reporting before its first policy load or while its queue is unreadable', async () => {
    const node = await register('starting');
    await heartbeat(node.token, { ...beat, queueDepth: 4 });
    const early = await heartbeat(node.token, { ...beat, policyVersion: null, queueDepth: null });
    assert.equal(early.status, 200);
    const row = await app.prisma.relayNode.findUniqueOrThrow({ where: { id: node.id } });
    assert.equal(row.queueDepth, 4, 'an unknown depth keeps the last known one');
  });

  it('tells tenants how many nodes are up and current, without naming them', async () => {
    const tenant = await createTenantFixture(app.prisma, 'viewer');
    const status = await httpClient(app.url, tenant.auth)('GET', '/v1/service-status');
    assert.equal(status.status, 200);
    assert.ok(status.body.healthyNodes >= 1, 'the nodes that just beat count as healthy');
    assert.equal(typeof status.body.maxPolicyLag, 'number');
    assert.ok(!JSON.stringify(status.body).includes('198.51.100.7'), 'no node address reaches a tenant');
    assert.equal((await httpClient(app.url)('GET', '/v1/service-status')).status, 401);
  });

  it('shows staleness of a node that stopped reporting', async () => {
    const node = await register('relay-c.example');
    await heartbeat(node.token, beat);
    await app.prisma.relayNode.update({ where: { id: node.id }, data: { lastHeartbeatAt: new Date(Date.now() - 300_000) } });
    const health = await asOperator('GET', '/v1/operator/relay-nodes');
    const item = health.body.items.find((entry: { id: string }) => entry.id === node.id);
    assert.ok(item.stalenessSeconds >= 299 && item.stalenessSeconds <= 305, String(item.stalenessSeconds));
    assert.equal(item.stale, true);
  });

  it('refuses heartbeats without a token, with a wrong one, with the operator token, or from a disabled node', async () => {
    const node = await register('relay-d.example');
    assert.equal((await httpClient(app.url)('POST', '/v1/relay/heartbeat', beat)).status, 401);
    assert.equal((await heartbeat(strangerToken(), beat)).status, 401);
    assert.equal((await heartbeat(operatorToken, beat)).status, 401);
    await app.prisma.relayNode.update({ where: { id: node.id }, data: { status: 'disabled' } });
    assert.equal((await heartbeat(node.token, beat)).status, 401);
    const row = await app.prisma.relayNode.findUniqueOrThrow({ where: { id: node.id } });
    assert.equal(row.lastHeartbeatAt, null);
  });

  it('tells a paused node it is paused', async () => {
    const node = await register('relay-e.example');
    await app.prisma.relayNode.update({ where: { id: node.id }, data: { status: 'paused', statusReason: 'listed on a DNSBL' } });
    const reply = await heartbeat(node.token, beat);
    assert.equal(reply.status, 200);
    assert.equal(reply.body.status, 'paused');
    assert.equal(reply.body.statusReason, 'listed on a DNSBL');
  });

  it('records when credentials were last used, as the node reports it: never backwards, never in the future', async () => {
    const node = await register('relay-g.example');
    const tenant = await createTenantFixture(app.prisma);
    const credential = await app.prisma.smtpCredential.create({
      data: { tenantId: tenant.tenantId, name: 'app', username: `u_${randomBytes(6).toString('hex')}`, secretDigest: 'x' },
    });
    const report = (at: Date, ip: string) => heartbeat(node.token, { ...beat, credentialUses: [{ credentialId: credential.id, at: at.toISOString(), ip }] });
    const row = () => app.prisma.smtpCredential.findUniqueOrThrow({ where: { id: credential.id } });
    const used = new Date(Date.now() - 5_000);
    assert.equal((await report(used, '192.0.2.7')).status, 200);
    assert.deepEqual([(await row()).lastUsedAt?.toISOString(), (await row()).lastUsedIp], [used.toISOString(), '192.0.2.7']);
    assert.equal((await row()).updatedAt.getTime(), credential.updatedAt.getTime(), 'a login is not an edit');
    await report(new Date(used.getTime() - 60_000), '192.0.2.8');
    assert.equal((await row()).lastUsedIp, '192.0.2.7', 'an older report from another node does not win');
    await report(new Date(Date.now() + 3_600_000), '2001:DB8::9');
    const future = await row();
    assert.ok(future.lastUsedAt!.getTime() <= Date.now(), 'a node clock running ahead is capped at the API clock');
    assert.equal(future.lastUsedIp, '2001:db8::9');
  });

  it('refuses a heartbeat with too many or malformed credential uses, naming the field', async () => {
    const node = await register('relay-h.example');
    const use = { credentialId: randomUUID(), at: new Date().toISOString(), ip: '192.0.2.1' };
    const fields = (body: { error: { fields?: { field: string }[] } }) => [...new Set(fieldsOf(body))];
    const tooMany = await heartbeat(node.token, { ...beat, credentialUses: Array.from({ length: MAX_CREDENTIAL_USES_PER_HEARTBEAT + 1 }, () => use) });
    assert.equal(tooMany.status, 400);
    assert.deepEqual(fields(tooMany.body), ['body.credentialUses']);
    const longest = { ...use, ip: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fff0' };
    const full = await heartbeat(node.token, { ...beat, credentialUses: Array.from({ length: MAX_CREDENTIAL_USES_PER_HEARTBEAT }, () => longest) });
    assert.equal(full.status, 200, 'a full list of the longest entries fits the body limit');
    for (const [bad, field] of [
      [{ ...use, ip: 'not-an-ip' }, 'body.credentialUses.0.ip'],
      [{ ...use, credentialId: 'x' }, 'body.credentialUses.0.credentialId'],
      [{ ...use, at: 'yesterday' }, 'body.credentialUses.0.at'],
      [{ ...use, extra: 1 }, 'body.credentialUses.0'],
    ] as const) {
      const response = await heartbeat(node.token, { ...beat, credentialUses: [bad] });
      assert.equal(response.status, 400, field);
      assert.deepEqual(fields(response.body), [field]);
    }
  });

  it('refuses malformed heartbeats naming the field', async () => {
    const node = await register('relay-f.example');
    const cases: [unknown, string][] = [
      [{ ...beat, publicIps: ['not-an-ip'] }, 'body.publicIps.0'],
      [{ ...beat, publicIps: ['10.1'] }, 'body.publicIps.0'],
      [{ ...beat, policyVersion: -1 }, 'body.policyVersion'],
      [{ ...beat, queueDepth: 1.5 }, 'body.queueDepth'],
      [{ ...beat, version: '' }, 'body.version'],
      [{ ...beat, extra: true }, 'body'],
    ];
    for (const [body, field] of cases) {
      const response = await heartbeat(node.token, body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.deepEqual(fieldsOf(response.body), [field], JSON.stringify(response.body));
    }
  });
});
