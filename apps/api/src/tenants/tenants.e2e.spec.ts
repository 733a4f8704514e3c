import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createTenantFixture, httpClient } from '../test/fixtures';
import { signUp } from '../test/session-client';
import { startTestApp, type TestApp } from '../test/test-app';
import { updateTenantPolicy } from './tenant-policy';

describe('tenants over HTTP', () => {
  let app: TestApp;
  let http: ReturnType<typeof httpClient>;

  before(async () => {
    app = await startTestApp();
    http = httpClient(app.url);
  });
  after(() => app.close());

  it('lists my tenants with my role in each', async () => {
    const session = await signUp(app, { tenantName: 'Mine' });
    const other = await createTenantFixture(app.prisma);
    await app.prisma.membership.create({ data: { tenantId: other.tenantId, userId: session.userId, role: 'viewer' } });
    const result = await session.call('GET', '/v1/tenants');
    assert.equal(result.status, 200);
    assert.deepEqual(
      result.body.items.map((t: any) => [t.id, t.role]),
      [
        [session.tenantId, 'owner'],
        [other.tenantId, 'viewer'],
      ],
    );
  });

  it('shows the current tenant with plan limits, overrides and usage so far', async () => {
    const session = await signUp(app);
    const fresh = await session.call('GET', '/v1/tenant');
    assert.equal(fresh.status, 200);
    assert.equal(fresh.body.plan.id, 'free');
    assert.equal(fresh.body.status, 'active');
    assert.equal(fresh.body.limits.messagesPerDay, 100);
    assert.equal(fresh.body.usage.today.messages, 0);

    const now = new Date();
    const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    await app.prisma.usageCounter.createMany({
      data: [
        { tenantId: session.tenantId, period: 'day', periodStart: day, messages: 7, recipients: 9 },
        { tenantId: session.tenantId, period: 'month', periodStart: month, messages: 70, recipients: 90 },
      ],
    });
    await app.prisma.$transaction((tx) =>
      updateTenantPolicy(tx, session.tenantId, { planId: 'starter', overrides: { messagesPerDay: 5 }, status: 'paused', statusReason: 'bounce rate' }),
    );
    const after = await session.call('GET', '/v1/tenant');
    assert.equal(after.body.plan.id, 'starter');
    assert.equal(after.body.limits.messagesPerDay, 5);
    assert.equal(after.body.limits.messagesPerMonth, 50_000);
    assert.equal(after.body.overrides.messagesPerDay, 5);
    assert.equal(after.body.overrides.messagesPerMonth, null);
    assert.equal(after.body.status, 'paused');
    assert.equal(after.body.statusReason, 'bounce rate');
    assert.deepEqual(after.body.usage.today, { periodStart: day.toISOString().slice(0, 10), messages: 7, recipients: 9 });
    assert.equal(after.body.usage.month.messages, 70);
  });

  it('records a policy change for a new tenant and for every status or limit change', async () => {
    const session = await signUp(app);
    const changes = () => app.prisma.policyChange.count({ where: { tenantId: session.tenantId, entity: 'tenant', entityId: session.tenantId } });
    assert.equal(await changes(), 1);
    await app.prisma.$transaction((tx) => updateTenantPolicy(tx, session.tenantId, { status: 'suspended', statusReason: 'abuse' }));
    await app.prisma.$transaction((tx) => updateTenantPolicy(tx, session.tenantId, { status: 'active' }));
    assert.equal(await changes(), 3);
    const tenant = await app.prisma.tenant.findUniqueOrThrow({ where: { id: session.tenantId } });
    assert.equal(tenant.statusReason, null);
  });

  it('updates name and bounce notices, with an audit entry', async () => {
    const session = await signUp(app);
    const result = await session.call('PATCH', '/v1/tenant', { name: 'Renamed', bounceNotices: true });
    assert.equal(result.status, 200);
    assert.equal(result.body.name, 'Renamed');
    assert.equal(result.body.bounceNotices, true);
    const entry = await app.prisma.auditLog.findFirstOrThrow({ where: { tenantId: session.tenantId, action: 'tenant.updated' } });
    assert.deepEqual(entry.metadata, { changed: ['name', 'bounceNotices'] });
  });

  it('records a policy change when bounce notices are set, and none for a rename', async () => {
    const session = await signUp(app);
    const changes = () => app.prisma.policyChange.count({ where: { tenantId: session.tenantId, entity: 'tenant', entityId: session.tenantId } });
    const initial = await changes();
    assert.equal((await session.call('PATCH', '/v1/tenant', { name: 'Only a name' })).status, 200);
    assert.equal(await changes(), initial, 'the name is not relay policy');
    assert.equal((await session.call('PATCH', '/v1/tenant', { bounceNotices: true })).status, 200);
    assert.equal(await changes(), initial + 1);
    assert.equal((await app.prisma.tenant.findUniqueOrThrow({ where: { id: session.tenantId } })).bounceNotices, true);
  });

  const badPatches: [string, unknown][] = [
    ['an empty body', {}],
    ['an empty name', { name: ' ' }],
    ['a non-boolean', { bounceNotices: 'yes' }],
    ['a field members may not change', { status: 'active' }],
  ];
  for (const [what, body] of badPatches) {
    it(`answers 400 for ${what}`, async () => {
      const session = await signUp(app);
      const result = await session.call('PATCH', '/v1/tenant', body);
      assert.equal(result.status, 400);
      assert.equal(result.body.error.code, 'validation_failed');
    });
  }

  it('lets a viewer read but not change the tenant', async () => {
    const viewer = await createTenantFixture(app.prisma, 'viewer');
    assert.equal((await http('GET', '/v1/tenant', undefined, viewer.auth)).status, 200);
    assert.equal((await http('PATCH', '/v1/tenant', { name: 'X' }, viewer.auth)).status, 403);
  });

  it("answers 404 for another tenant's id and 400 without a tenant header", async () => {
    const session = await signUp(app);
    const other = await createTenantFixture(app.prisma);
    assert.equal((await session.call('GET', '/v1/tenant', undefined, { 'x-tenant-id': other.tenantId })).status, 404);
    assert.equal((await session.call('GET', '/v1/tenant', undefined, { 'x-tenant-id': randomUUID() })).status, 404);
    assert.equal((await session.call('GET', '/v1/tenant', undefined, { 'x-tenant-id': 'nope' })).status, 400);
    assert.equal((await http('GET', '/v1/tenant', undefined, { ...other.auth, 'x-tenant-id': session.tenantId })).status, 404);
    assert.equal((await http('GET', '/v1/tenant', undefined, { cookie: session.cookie })).status, 400);
    assert.equal((await http('GET', '/v1/tenant')).status, 401);
  });
});
