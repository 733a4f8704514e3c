import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testRedis, type TestRedis } from '@smarthost/testkit';
import { Redis } from 'ioredis';
import { credential, tenant } from '../test/fixtures';
import { QuotaCounter } from './quota';

const acme = tenant('t-acme', {}, { messagesPerDay: 2 });
const globex = tenant('t-globex', {}, { messagesPerDay: 2 });
const acmeApp = credential('c-acme', 't-acme', 'acme-app', 'x');
const globexApp = credential('c-globex', 't-globex', 'globex-app', 'x');

describe('QuotaCounter', () => {
  let redis: TestRedis;
  let connection: Redis;
  let quota: QuotaCounter;
  const calls: unknown[][] = [];

  before(async () => {
    redis = await testRedis();
    connection = new Redis(redis.url);
    quota = new QuotaCounter(connection, redis.prefix);
    // Count the script calls that reach the real Redis.
    const scripted = connection as unknown as { smarthostReserveQuota: (...args: unknown[]) => Promise<unknown> };
    const reserve = scripted.smarthostReserveQuota.bind(connection);
    scripted.smarthostReserveQuota = (...args: unknown[]) => {
      calls.push(args);
      return reserve(...args);
    };
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
    const connection = new Redis(redis.url);
    let now = Date.parse('2026-11-30T23:59:30Z');
    const quota = new QuotaCounter(connection, redis.prefix, () => now);
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
