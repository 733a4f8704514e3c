import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createTenantFixture, httpClient, type TenantFixture } from '../test/fixtures';
import { startTestApp, type TestApp } from '../test/test-app';

describe('operators suspend, pause and re-plan tenants', () => {
  const operatorToken = randomBytes(32).toString('hex');
  let app: TestApp;
  let tenant: TenantFixture;
  let asOperator: ReturnType<typeof httpClient>;
  let asTenant: ReturnType<typeof httpClient>;

  before(async () => {
    app = await startTestApp({ OPERATOR_TOKEN: operatorToken });
    tenant = await createTenantFixture(app.prisma);
    asOperator = httpClient(app.url, { authorization: `Bearer ${operatorToken}` });
    asTenant = httpClient(app.url, tenant.auth);
  });
  after(() => app.close());

  it('suspends with a reason the tenant sees, and records a policy change for the relays', async () => {
    const before = await app.prisma.policyChange.count({ where: { tenantId: tenant.tenantId, entity: 'tenant' } });
    const result = await asOperator('PATCH', `/v1/operator/tenants/${tenant.tenantId}`, { status: 'suspended', statusReason: 'abuse report 4711' });
    assert.equal(result.status, 200);
    const seen = (await asTenant('GET', '/v1/tenant')).body;
    assert.equal(seen.status, 'suspended');
    assert.equal(seen.statusReason, 'abuse report 4711');
    assert.equal(await app.prisma.policyChange.count({ where: { tenantId: tenant.tenantId, entity: 'tenant' } }), before + 1);
    assert.ok(await app.prisma.auditLog.findFirst({ where: { tenantId: tenant.tenantId, action: 'tenant.status_changed' } }));
  });

  it('reactivates (clearing the reason) and overrides limits on top of the plan', async () => {
    await asOperator('PATCH', `/v1/operator/tenants/${tenant.tenantId}`, { status: 'active', overrides: { messagesPerDay: 7 } });
    const seen = (await asTenant('GET', '/v1/tenant')).body;
    assert.equal(seen.status, 'active');
    assert.equal(seen.statusReason, null);
    assert.equal(seen.limits.messagesPerDay, 7);
  });

  it('refuses bad input naming the field, unknown tenants, and callers without the operator token', async () => {
    const noReason = await asOperator('PATCH', `/v1/operator/tenants/${tenant.tenantId}`, { status: 'paused' });
    assert.equal(noReason.status, 400);
    assert.equal(noReason.body.error.fields[0].field, 'body.statusReason');
    const badPlan = await asOperator('PATCH', `/v1/operator/tenants/${tenant.tenantId}`, { planId: 'platinum' });
    assert.equal(badPlan.status, 400);
    assert.equal(badPlan.body.error.fields[0].field, 'body.planId');
    assert.equal((await asOperator('PATCH', `/v1/operator/tenants/${randomUUID()}`, { status: 'active' })).status, 404);
    assert.equal((await asTenant('PATCH', `/v1/operator/tenants/${tenant.tenantId}`, { status: 'active' })).status, 401);
  });

  it('lists tenants by status, newest first, page by page, with the reason each was given', async () => {
    const paused = await createTenantFixture(app.prisma);
    await asOperator('PATCH', `/v1/operator/tenants/${paused.tenantId}`, { status: 'paused', statusReason: 'bounce rate 14.3%' });
    const { status, body } = await asOperator('GET', '/v1/operator/tenants?status=paused');
    assert.equal(status, 200);
    assert.deepEqual(body.items.map((t: { id: string; statusReason: string }) => [t.id, t.statusReason]), [[paused.tenantId, 'bounce rate 14.3%']]);
    const first = (await asOperator('GET', '/v1/operator/tenants?limit=1')).body;
    assert.equal(first.items.length, 1);
    const second = (await asOperator('GET', `/v1/operator/tenants?limit=1&cursor=${first.nextCursor}`)).body;
    assert.notEqual(second.items[0].id, first.items[0].id);
    const bad = await asOperator('GET', '/v1/operator/tenants?status=asleep');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.fields[0].field, 'query.status');
    assert.equal((await asTenant('GET', '/v1/operator/tenants')).status, 401);
  });
});
