import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTenantFixture, httpClient } from '../test/fixtures';
import { signUp } from '../test/session-client';
import { startTestApp, type TestApp } from '../test/test-app';

describe('API keys over HTTP', () => {
  let app: TestApp;
  let http: ReturnType<typeof httpClient>;
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

  before(async () => {
    app = await startTestApp();
    http = httpClient(app.url);
  });
  after(() => app.close());

  it('creates a key shown once, lists it without the secret, and records its use', async () => {
    const owner = await signUp(app);
    const created = await owner.call('POST', '/v1/api-keys', { name: 'deploy', role: 'developer' });
    assert.equal(created.status, 201);
    assert.match(created.body.key, /^shk_[\w-]{43}$/);
    assert.equal(created.body.prefix, created.body.key.slice(0, 12));
    assert.equal(created.body.createdById, owner.userId);
    const row = await app.prisma.apiKey.findUniqueOrThrow({ where: { id: created.body.id } });
    assert.notEqual(row.digest, created.body.key);

    const before = await owner.call('GET', '/v1/api-keys');
    assert.equal(before.status, 200);
    const listed = before.body.items.find((k: any) => k.id === created.body.id);
    assert.equal(listed.lastUsedAt, null);
    assert.equal('key' in listed || 'digest' in listed, false);
    assert.equal(JSON.stringify(before.body).includes(created.body.key), false);

    const used = await http('GET', '/v1/tenant', undefined, bearer(created.body.key));
    assert.equal(used.status, 200);
    assert.equal(used.body.role, 'developer');
    const afterUse = await owner.call('GET', '/v1/api-keys');
    assert.ok(afterUse.body.items.find((k: any) => k.id === created.body.id).lastUsedAt);
    const log = await app.prisma.auditLog.findFirstOrThrow({ where: { tenantId: owner.tenantId, action: 'apiKey.created' } });
    assert.equal(log.targetId, created.body.id);
  });

  it('revokes a key, which stops working at once', async () => {
    const owner = await signUp(app);
    const created = await owner.call('POST', '/v1/api-keys', { name: 'temp', role: 'viewer' });
    assert.equal((await http('GET', '/v1/tenant', undefined, bearer(created.body.key))).status, 200);
    assert.equal((await owner.call('DELETE', `/v1/api-keys/${created.body.id}`)).status, 204);
    assert.equal((await http('GET', '/v1/tenant', undefined, bearer(created.body.key))).status, 401);
    assert.equal((await owner.call('DELETE', `/v1/api-keys/${created.body.id}`)).status, 204);
    const listed = (await owner.call('GET', '/v1/api-keys')).body.items.find((k: any) => k.id === created.body.id);
    assert.ok(listed.revokedAt);
    assert.equal(await app.prisma.auditLog.count({ where: { tenantId: owner.tenantId, action: 'apiKey.revoked' } }), 1);
  });

  it('refuses an expired key', async () => {
    const owner = await signUp(app);
    const soon = new Date(Date.now() + 1500).toISOString();
    const created = await owner.call('POST', '/v1/api-keys', { name: 'short-lived', role: 'viewer', expiresAt: soon });
    assert.equal(created.status, 201);
    assert.equal(created.body.expiresAt, soon);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    assert.equal((await http('GET', '/v1/tenant', undefined, bearer(created.body.key))).status, 401);
  });

  it('never grants a role above the creator’s, and a viewer cannot create keys at all', async () => {
    const viewer = await createTenantFixture(app.prisma, 'viewer');
    assert.equal((await http('POST', '/v1/api-keys', { name: 'x', role: 'viewer' }, viewer.auth)).status, 403);
    assert.equal((await http('GET', '/v1/api-keys', undefined, viewer.auth)).status, 403);
    const admin = await createTenantFixture(app.prisma, 'admin');
    assert.equal((await http('POST', '/v1/api-keys', { name: 'x', role: 'owner' }, admin.auth)).status, 403);
    const child = await http('POST', '/v1/api-keys', { name: 'x', role: 'admin' }, admin.auth);
    assert.equal(child.status, 201);
    assert.equal(child.body.createdById, admin.userId);
    const developer = await createTenantFixture(app.prisma, 'developer');
    assert.equal((await http('GET', '/v1/api-keys', undefined, developer.auth)).status, 200);
    assert.equal((await http('POST', '/v1/api-keys', { name: 'x', role: 'viewer' }, developer.auth)).status, 403);
  });

  it('stops a key when its creator loses the role it was minted under or leaves the tenant', async () => {
    const owner = await signUp(app);
    const member = await signUp(app);
    const membership = await app.prisma.membership.create({ data: { tenantId: owner.tenantId, userId: member.userId, role: 'admin' } });
    member.tenantId = owner.tenantId;
    const adminKey = (await member.call('POST', '/v1/api-keys', { name: 'ops', role: 'admin' })).body.key;
    const devKey = (await member.call('POST', '/v1/api-keys', { name: 'ci', role: 'developer' })).body.key;
    assert.equal((await http('GET', '/v1/tenant', undefined, bearer(adminKey))).status, 200);

    assert.equal((await owner.call('PATCH', `/v1/members/${membership.id}`, { role: 'developer' })).status, 200);
    assert.equal((await http('GET', '/v1/tenant', undefined, bearer(adminKey))).status, 401);
    assert.equal((await http('GET', '/v1/tenant', undefined, bearer(devKey))).status, 200);

    assert.equal((await owner.call('DELETE', `/v1/members/${membership.id}`)).status, 204);
    assert.equal((await http('GET', '/v1/tenant', undefined, bearer(devKey))).status, 401);
  });

  const bad: [string, unknown, string][] = [
    ['an empty name', { name: '', role: 'viewer' }, 'body.name'],
    ['an unknown role', { name: 'n', role: 'root' }, 'body.role'],
    ['a past expiry', { name: 'n', role: 'viewer', expiresAt: '2020-01-01T00:00:00Z' }, 'body.expiresAt'],
    ['a malformed expiry', { name: 'n', role: 'viewer', expiresAt: 'tomorrow' }, 'body.expiresAt'],
  ];
  for (const [what, body, field] of bad) {
    it(`answers 400 naming ${field} for ${what}`, async () => {
      const owner = await createTenantFixture(app.prisma);
      const result = await http('POST', '/v1/api-keys', body, owner.auth);
      assert.equal(result.status, 400);
      assert.equal(result.body.error.fields[0].field, field);
    });
  }

  it("answers 404 for another tenant's key and 400 for a malformed id or cursor", async () => {
    const mine = await createTenantFixture(app.prisma);
    const theirs = await createTenantFixture(app.prisma);
    const key = await http('POST', '/v1/api-keys', { name: 'theirs', role: 'viewer' }, theirs.auth);
    assert.equal((await http('DELETE', `/v1/api-keys/${key.body.id}`, undefined, mine.auth)).status, 404);
    assert.equal((await http('GET', '/v1/tenant', undefined, bearer(key.body.key))).status, 200);
    assert.equal((await http('DELETE', '/v1/api-keys/123', undefined, mine.auth)).status, 400);
    assert.equal((await http('GET', '/v1/api-keys?cursor=abc', undefined, mine.auth)).status, 400);
    const list = await http('GET', '/v1/api-keys', undefined, mine.auth);
    assert.equal(list.body.items.some((k: any) => k.id === key.body.id), false);
  });

  it('pages the list newest first', async () => {
    const owner = await createTenantFixture(app.prisma);
    for (const name of ['a', 'b', 'c']) await http('POST', '/v1/api-keys', { name, role: 'viewer' }, owner.auth);
    const first = await http('GET', '/v1/api-keys?limit=2', undefined, owner.auth);
    assert.deepEqual(first.body.items.map((k: any) => k.name), ['c', 'b']);
    const second = await http('GET', `/v1/api-keys?limit=2&cursor=${first.body.nextCursor}`, undefined, owner.auth);
    assert.deepEqual(second.body.items.map((k: any) => k.name), ['a', 'test']);
    assert.equal(second.body.nextCursor, null);
  });
});
