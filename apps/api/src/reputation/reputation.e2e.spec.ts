import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { createTenantFixture, httpClient } from '../test/fixtures';
import { startTestApp, type TestApp } from '../test/test-app';
import { guardReputation } from './reputation-guard';
import { REPUTATION_QUEUE, REPUTATION_SCHEDULER_ID } from './reputation.worker';

const HOUR = 3_600_000;
const rule = { bounceRate: 0.1, minMessages: 200, complaintRate: 0.003, minDelivered: 1000 };

describe('the reputation guard pauses tenants whose mail bounces too much', () => {
  let app: TestApp;
  const now = new Date('2026-11-29T12:30:00.000Z');
  const hoursAgo = (hours: number) => new Date(Math.floor(now.getTime() / HOUR) * HOUR - hours * HOUR);

  before(async () => (app = await startTestApp()));
  after(() => app.close());

  async function tenantWith(stats: { hoursAgo: number; delivered: number; bounced: number; complained?: number }[]) {
    const { tenantId } = await createTenantFixture(app.prisma);
    await app.prisma.statsHourly.createMany({
      data: stats.map((s) => ({ tenantId, hour: hoursAgo(s.hoursAgo), delivered: s.delivered, bounced: s.bounced, complained: s.complained ?? 0 })),
    });
    return tenantId;
  }
  const tenant = (id: string) => app.prisma.tenant.findUniqueOrThrow({ where: { id } });

  it('pauses a tenant over the rate, with the reason, an audit entry and a policy change for the relays', async () => {
    const bad = await tenantWith([{ hoursAgo: 1, delivered: 200, bounced: 30 }, { hoursAgo: 5, delivered: 100, bounced: 20 }]);
    const clean = await tenantWith([{ hoursAgo: 1, delivered: 1000, bounced: 10 }]);
    const changesBefore = await app.prisma.policyChange.count({ where: { tenantId: bad } });
    const paused = await guardReputation(app.prisma, rule, now);
    assert.deepEqual(paused.map((p) => [p.tenantId, p.delivered, p.bounced]), [[bad, 300, 50]]);
    const row = await tenant(bad);
    assert.equal(row.status, 'paused');
    assert.match(row.statusReason ?? '', /^bounce rate 14\.3% \(50 of 350 messages in the last 24 hours\)/);
    assert.equal((await tenant(clean)).status, 'active');
    assert.equal(await app.prisma.policyChange.count({ where: { tenantId: bad } }), changesBefore + 1);
    const audit = await app.prisma.auditLog.findFirstOrThrow({ where: { tenantId: bad, action: 'tenant.status_changed' } });
    assert.deepEqual((audit.metadata as { by: string }).by, 'reputation');
    assert.deepEqual(await guardReputation(app.prisma, rule, now), [], 'a paused tenant is not paused twice');
  });

  it('pauses a tenant whose recipients complain, once it has delivered enough to judge', async () => {
    const spammy = await tenantWith([{ hoursAgo: 2, delivered: 2000, bounced: 0, complained: 9 }]);
    const small = await tenantWith([{ hoursAgo: 2, delivered: 300, bounced: 0, complained: 2 }]);
    const paused = await guardReputation(app.prisma, rule, now);
    assert.deepEqual(paused.map((p) => [p.tenantId, p.complained]), [[spammy, 9]]);
    assert.match((await tenant(spammy)).statusReason ?? '', /^spam complaint rate 0\.45% \(9 of 2000 delivered messages/);
    assert.equal((await tenant(small)).status, 'active');
  });

  it('leaves alone a tenant with too few messages, bounces older than a day, and a tenant an operator holds', async () => {
    const few = await tenantWith([{ hoursAgo: 1, delivered: 100, bounced: 99 }]);
    const old = await tenantWith([{ hoursAgo: 25, delivered: 100, bounced: 900 }, { hoursAgo: 2, delivered: 300, bounced: 0 }]);
    const suspended = await tenantWith([{ hoursAgo: 1, delivered: 100, bounced: 900 }]);
    await app.prisma.tenant.update({ where: { id: suspended }, data: { status: 'suspended', statusReason: 'abuse report 4711' } });
    assert.deepEqual(await guardReputation(app.prisma, rule, now), []);
    assert.equal((await tenant(few)).status, 'active');
    assert.equal((await tenant(old)).status, 'active');
    assert.equal((await tenant(suspended)).statusReason, 'abuse report 4711');
  });

  it('judges a resumed tenant only on what it sends after the resume', async () => {
    const resumed = await tenantWith([{ hoursAgo: 3, delivered: 100, bounced: 900 }]);
    await app.prisma.auditLog.create({
      data: { tenantId: resumed, action: 'tenant.status_changed', targetType: 'tenant', targetId: resumed, metadata: { by: 'operator', status: 'active' }, createdAt: new Date(hoursAgo(3).getTime() + 20 * 60_000) },
    });
    assert.deepEqual(await guardReputation(app.prisma, rule, now), []);
    await app.prisma.statsHourly.create({ data: { tenantId: resumed, hour: hoursAgo(1), delivered: 150, bounced: 60 } });
    assert.deepEqual((await guardReputation(app.prisma, rule, now)).map((p) => [p.tenantId, p.bounced]), [[resumed, 60]]);
  });

  it("shows a tenant its own bounce rate as the guard counts it, and no other tenant's", async () => {
    const { tenantId, auth } = await createTenantFixture(app.prisma);
    const http = httpClient(app.url, auth);
    assert.deepEqual((await http('GET', '/v1/reputation/bounce-rate')).body, {
      delivered: 0,
      bounced: 0,
      bounceRate: null,
      pauseRate: 0.1,
      minMessages: 200,
      complained: 0,
      complaintRate: null,
      complaintPauseRate: 0.003,
      minDelivered: 1000,
    });
    await app.prisma.statsHourly.createMany({
      data: [
        { tenantId, hour: new Date(Math.floor(Date.now() / HOUR) * HOUR - HOUR), delivered: 95, bounced: 5, complained: 1 },
        { tenantId, hour: new Date(Date.now() - 30 * HOUR), delivered: 0, bounced: 500 },
      ],
    });
    const { body } = await http('GET', '/v1/reputation/bounce-rate');
    assert.deepEqual([body.delivered, body.bounced, body.bounceRate, body.complained, body.complaintRate], [95, 5, 0.05, 1, 1 / 95]);
  });

  it('does nothing when turned off', async () => {
    const bad = await tenantWith([{ hoursAgo: 1, delivered: 100, bounced: 900 }]);
    assert.deepEqual(await guardReputation(app.prisma, { ...rule, bounceRate: 0, complaintRate: 0 }, now), []);
    assert.equal((await tenant(bad)).status, 'active');
  });
});

describe('the reputation guard runs on a schedule in worker processes', () => {
  let app: TestApp;
  before(async () => (app = await startTestApp({ WORKERS: 'true' })));
  after(() => app.close());

  it('has one job scheduler', async () => {
    const queue = new Queue(REPUTATION_QUEUE, { connection: { url: app.config.REDIS_URL }, prefix: app.config.REDIS_PREFIX });
    try {
      const schedulers = await queue.getJobSchedulers();
      assert.deepEqual(schedulers.map((s) => s.key), [REPUTATION_SCHEDULER_ID]);
    } finally {
      await queue.close();
    }
  });
});
