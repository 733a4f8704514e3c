import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testRedis, waitFor, type TestRedis } from '@smarthost/testkit';
import { Redis } from 'ioredis';
import { credential, tenant } from '../test/fixtures';
import { LEASE_HEADROOM, LEASE_UNITS, QuotaCounter, type QuotaCounterOptions } from './quota';

const acme = tenant('t-acme', {}, { messagesPerDay: 2 });
const globex = tenant('t-globex', {}, { messagesPerDay: 2 });
const acmeApp = credential('c-acme', 't-acme', 'acme-app', 'x');
const globexApp = credential('c-globex', 't-globex', 'globex-app', 'x');

/** A QuotaCounter on a connection of its own, with the reserve script calls that reach the real Redis counted. */
function spiedCounter(redis: TestRedis, options: QuotaCounterOptions = {}) {
  const connection = new Redis(redis.url);
  const quota = new QuotaCounter(connection, redis.prefix, options);
  const scripted = connection as unknown as { smarthostReserveQuota: (...args: unknown[]) => Promise<unknown> };
  const reserve = scripted.smarthostReserveQuota.bind(connection);
  const calls: unknown[][] = [];
  scripted.smarthostReserveQuota = (...args: unknown[]) => {
    calls.push(args);
    return reserve(...args);
  };
  return { quota, calls, connection };
}

describe('QuotaCounter', () => {
  let redis: TestRedis;
  let connection: Redis;
  let quota: QuotaCounter;
  let calls: unknown[][];

  before(async () => {
    redis = await testRedis();
    ({ quota, calls, connection } = spiedCounter(redis));
  });
  after(async () => {
    connection.disconnect();
    await redis.cleanup();
  });

  it('reservations of one tenant asked in one turn go to Redis as one call, counted in order, never past the limit', async () => {
    calls.length = 0;
    const results = await Promise.all([quota.reserve(acme, acmeApp), quota.reserve(acme, acmeApp), quota.reserve(acme, acmeApp)]);
    assert.deepEqual(
      results.map((r) => (r.ok ? 'ok' : r.refusal)),
      ['ok', 'ok', 'quota_daily_exhausted'],
    );
    assert.equal(calls.length, 1);
  });

  it('each tenant gets its own call (one hash tag, one Cluster slot per script); later turns make new calls', async () => {
    calls.length = 0;
    const [first, refused] = await Promise.all([quota.reserve(globex, globexApp), quota.reserve(acme, acmeApp)]);
    assert.equal(first.ok, true);
    assert.equal(refused.ok, false);
    assert.equal(calls.length, 2);
    const second = await quota.reserve(globex, globexApp);
    assert.equal(second.ok, true);
    assert.equal(calls.length, 3);
    const released = second.ok ? second.reservation : undefined;
    await quota.release(released ? [released] : []);
    assert.equal((await quota.reserve(globex, globexApp)).ok, true, 'a released reservation can be taken again');
  });

  it('when Redis cannot answer, every reservation of the call fails and nothing is counted', async () => {
    const offline = new Redis(redis.url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    const broken = new QuotaCounter(offline, redis.prefix);
    const fresh = tenant('t-fresh');
    const outcomes = await Promise.allSettled([broken.reserve(fresh, acmeApp), broken.reserve(fresh, acmeApp)]);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['rejected', 'rejected'],
    );
    assert.deepEqual(await redis.client.keys(`${redis.prefix}:quota:{t-fresh}:*`), []);
    offline.disconnect();
  });
});

describe('QuotaCounter windows', () => {
  it('counts in the UTC day and month of the moment, and moves to the next ones as the clock passes midnight', async () => {
    const redis = await testRedis();
    let now = Date.parse('2026-11-30T23:59:30Z');
    const { quota, connection } = spiedCounter(redis, { now: () => now });
    try {
      const app = credential('c-clock', 't-clock', 'clock-app', 'x', { ratePerMinute: 1 });
      const clock = tenant('t-clock', {}, { messagesPerDay: 1 });
      assert.equal((await quota.reserve(clock, app)).ok, true);
      const again = await quota.reserve(clock, app);
      assert.equal(again.ok ? 'ok' : again.refusal, 'quota_daily_exhausted');
      now = Date.parse('2026-12-01T00:00:10Z');
      assert.equal((await quota.reserve(clock, app)).ok, true, 'a new day, a new minute');
      const keys = (await redis.client.keys(`${redis.prefix}:quota:{t-clock}:*`)).map((key) => key.slice(redis.prefix.length)).sort();
      const minute = (at: string) => Math.floor(Date.parse(at) / 60_000);
      assert.deepEqual(keys, [
        `:quota:{t-clock}:cred:c-clock:minute:${minute('2026-11-30T23:59:00Z')}`,
        `:quota:{t-clock}:cred:c-clock:minute:${minute('2026-12-01T00:00:00Z')}`,
        ':quota:{t-clock}:day:2026-11-30',
        ':quota:{t-clock}:day:2026-12-01',
        `:quota:{t-clock}:minute:${minute('2026-11-30T23:59:00Z')}`,
        `:quota:{t-clock}:minute:${minute('2026-12-01T00:00:00Z')}`,
        ':quota:{t-clock}:month:2026-11',
        ':quota:{t-clock}:month:2026-12',
      ]);
    } finally {
      connection.disconnect();
      await redis.cleanup();
    }
  });
});

describe('QuotaCounter leases', () => {
  const big = 1_000_000;
  const roomy = tenant('t-roomy', {}, { messagesPerDay: big, messagesPerMonth: big, messagesPerMinute: big });
  const roomyApp = credential('c-roomy', 't-roomy', 'roomy-app', 'x');
  let redis: TestRedis;
  const connections: Redis[] = [];
  let now = Date.parse('2026-11-29T10:00:05Z');

  const counter = () => {
    const spied = spiedCounter(redis, { now: () => now });
    connections.push(spied.connection);
    return spied;
  };
  const count = async (window: string) => Number((await redis.client.get(`${redis.prefix}:quota:{${window}`)) ?? 0);
  const day = (tenantId: string) => `${tenantId}}:day:${new Date(now).toISOString().slice(0, 10)}`;

  before(async () => {
    redis = await testRedis();
  });
  after(async () => {
    for (const connection of connections) connection.disconnect();
    await redis.cleanup();
  });

  it('far from every limit, one call counts a lease and the next recipients of the credential come from it', async () => {
    const { quota, calls } = counter();
    for (let i = 0; i < LEASE_UNITS; i += 1) assert.equal((await quota.reserve(roomy, roomyApp)).ok, true);
    assert.equal(calls.length, 1);
    assert.equal(await count(day('t-roomy')), LEASE_UNITS, 'the whole lease is counted in Redis up front');
    assert.equal((await quota.reserve(roomy, roomyApp)).ok, true);
    assert.equal(calls.length, 2, 'a spent lease is followed by a new call');
    assert.equal(await count(day('t-roomy')), 2 * LEASE_UNITS);
    await quota.close();
    assert.equal(await count(day('t-roomy')), LEASE_UNITS + 1, 'close gives the unused units back');
  });

  it('a refused transaction\'s units go back to the lease; an idle lease gives its unused units back to Redis', async () => {
    const idle = tenant('t-idle', {}, { messagesPerDay: big, messagesPerMonth: big, messagesPerMinute: big });
    const idleApp = credential('c-idle', 't-idle', 'idle-app', 'x');
    const { quota, calls } = counter();
    const reservations = [];
    for (let i = 0; i < 3; i += 1) {
      const result = await quota.reserve(idle, idleApp);
      assert.ok(result.ok);
      reservations.push(result.reservation);
    }
    await quota.release(reservations.slice(1));
    assert.equal(await count(day('t-idle')), LEASE_UNITS, 'released into the lease, not to Redis');
    now += 2_000;
    await waitFor(async () => (await count(day('t-idle'))) === 1, { description: 'the idle lease returned', timeoutMs: 5000 });
    assert.equal(calls.length, 1);
    await quota.close();
  });

  it('of several recipients of one turn, one asks for the lease and the others are counted on their own in the same call', async () => {
    const burst = tenant('t-burst', {}, { messagesPerDay: big, messagesPerMonth: big, messagesPerMinute: big });
    const burstApp = credential('c-burst', 't-burst', 'burst-app', 'x');
    const { quota, calls } = counter();
    const first = await Promise.all([quota.reserve(burst, burstApp), quota.reserve(burst, burstApp), quota.reserve(burst, burstApp)]);
    assert.equal(calls.length, 1);
    assert.equal(await count(day('t-burst')), LEASE_UNITS + 2, 'one lease per credential and node, never three');
    for (let i = 0; i < LEASE_UNITS - 1; i += 1) assert.equal((await quota.reserve(burst, burstApp)).ok, true);
    assert.equal(calls.length, 1, 'the rest of the lease served without a call');
    await quota.release(first.map((r) => (r.ok ? r.reservation : undefined)).filter((r) => r !== undefined));
    assert.equal(await count(day('t-burst')), LEASE_UNITS, 'the two counted on their own went back to Redis');
    await quota.close();
    assert.equal(await count(day('t-burst')), LEASE_UNITS - 1, 'the leased one went back with the lease');
  });

  it('near a limit every recipient is counted in Redis on its own', async () => {
    const near = tenant('t-near', {}, { messagesPerDay: LEASE_HEADROOM + LEASE_UNITS - 1, messagesPerMonth: big, messagesPerMinute: big });
    const { quota, calls } = counter();
    for (let i = 0; i < 3; i += 1) assert.equal((await quota.reserve(near, credential('c-near', 't-near', 'near-app', 'x'))).ok, true);
    assert.equal(calls.length, 3);
    assert.equal(await count(day('t-near')), 3);
    await quota.close();
  });

  it('a changed policy or a new minute retires the lease: its unused units go back before the next count', async () => {
    const moving = tenant('t-moving', {}, { messagesPerDay: big, messagesPerMonth: big, messagesPerMinute: big });
    const movingApp = credential('c-moving', 't-moving', 'moving-app', 'x');
    const { quota } = counter();
    assert.equal((await quota.reserve(moving, movingApp)).ok, true);
    const lowered = { ...moving, limits: { ...moving.limits, messagesPerDay: 40 } };
    assert.equal((await quota.reserve(lowered, movingApp)).ok, true);
    assert.equal(await count(day('t-moving')), 2, 'the old lease gave back its unused units; the new limit allows no lease');
    now += 60_000;
    assert.equal((await quota.reserve(moving, movingApp)).ok, true);
    assert.equal(await count(day('t-moving')), 2 + LEASE_UNITS, 'a new minute, a new lease');
    await quota.close();
    assert.equal(await count(day('t-moving')), 3);
  });

  it('two nodes leasing from one Redis never count past the limit and, together, accept exactly the limit', async () => {
    const limit = LEASE_HEADROOM + 5 * LEASE_UNITS + 7;
    const shared = tenant('t-shared', {}, { messagesPerDay: limit, messagesPerMonth: big, messagesPerMinute: big });
    const sharedApp = credential('c-shared', 't-shared', 'shared-app', 'x');
    const nodes = [counter(), counter()];
    const accepted = await Promise.all(
      nodes.map(async ({ quota }) => {
        let ok = 0;
        for (;;) {
          const results = await Promise.all(Array.from({ length: 20 }, () => quota.reserve(shared, sharedApp)));
          ok += results.filter((r) => r.ok).length;
          assert.ok((await count(day('t-shared'))) <= limit, 'never counted past the limit');
          if (results.some((r) => !r.ok)) return ok;
        }
      }),
    );
    assert.equal(accepted.reduce((a, b) => a + b, 0), limit);
    await Promise.all(nodes.map(({ quota }) => quota.close()));
    assert.equal(await count(day('t-shared')), limit);
  });
});
