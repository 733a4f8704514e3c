import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTenantFixture, httpClient } from '../test/fixtures';
import { signUp } from '../test/session-client';
import { startTestApp, type TestApp } from '../test/test-app';

describe('audit log over HTTP', () => {
  let app: TestApp;
  let http: ReturnType<typeof httpClient>;

  before(async () => {
    app = await startTestApp();
    http = httpClient(app.url);
  });
  after(() => app.close());

  it('lists the tenant’s entries newest first, in pages, with actor and target', async () => {
    const owner = await signUp(app);
    for (const name of ['one', 'two', 'three']) await owner.call('POST', '/v1/api-keys', { name, role: 'viewer' });
    const first = await owner.call('GET', '/v1/audit?limit=2');
    assert.equal(first.status, 200);
    assert.deepEqual(first.body.items.map((e: any) => e.metadata.name), ['three', 'two']);
    assert.equal(first.body.items[0].action, 'apiKey.created');
    assert.equal(first.body.items[0].actor.userId, owner.userId);
    assert.equal(first.body.items[0].target.type, 'apiKey');
    const rest = await owner.call('GET', `/v1/audit?cursor=${first.body.nextCursor}`);
    assert.deepEqual(rest.body.items.map((e: any) => e.action), ['apiKey.created', 'member.added']);
    assert.equal(rest.body.nextCursor, null);
    const filtered = await owner.call('GET', '/v1/audit?action=member.added');
    assert.deepEqual(filtered.body.items.map((e: any) => e.action), ['member.added']);
  });

  it('shows no other tenant’s entries', async () => {
    const a = await signUp(app);
    const b = await signUp(app);
    await b.call('POST', '/v1/api-keys', { name: 'b-key', role: 'viewer' });
    const entries = (await a.call('GET', '/v1/audit')).body.items;
    assert.equal(entries.some((e: any) => e.metadata.name === 'b-key'), false);
  });

  it('needs audit:read and well-formed paging', async () => {
    const developer = await createTenantFixture(app.prisma, 'developer');
    assert.equal((await http('GET', '/v1/audit', undefined, developer.auth)).status, 403);
    const admin = await createTenantFixture(app.prisma, 'admin');
    assert.equal((await http('GET', '/v1/audit', undefined, admin.auth)).status, 200);
    assert.equal((await http('GET', '/v1/audit?cursor=abc', undefined, admin.auth)).status, 400);
    assert.equal((await http('GET', '/v1/audit?limit=0', undefined, admin.auth)).status, 400);
    assert.equal((await http('GET', '/v1/audit?action=DROP%20TABLE', undefined, admin.auth)).status, 400);
  });
});
