import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testRedis, type TestRedis } from '@smarthost/testkit';
import { Redis } from 'ioredis';
import { tenant } from '../test/fixtures';
import { InboundMeter } from './inbound-meter';

const HOUR = 3_600_000;
const acme = tenant('t-acme', {}, {}, { messagesPerDay: 100, bytesPerDay: 100_000, backlogBytes: 1_000 });
const globex = tenant('t-globex', {}, {}, { messagesPerDay: 100, bytesPerDay: 100_000, backlogBytes: 1_000 });
const msg = (messageId: string, size = 400, tenantId = 't-acme') => ({ tenantId, messageId, size });

describe('InboundMeter (real Redis): the backlog cannot drift', () => {
  let redis: TestRedis;
  let connection: Redis;
  let clock = Date.parse('2026-12-03T10:00:00Z');
  let meter: InboundMeter;
  const backlog = async (tenantId = 't-acme') => (await meter.usage(tenantId)).backlogBytes;

  before(async () => {
    redis = await testRedis();
    connection = new Redis(redis.url);
    meter = new InboundMeter(connection, redis.prefix, 4 * HOUR, () => clock);
  });
  after(async () => {
    connection.disconnect();
    await redis.cleanup();
  });

  it('counts a retried admission once and a repeated release (a job delivered twice) once', async () => {
    assert.equal((await meter.admit(acme, msg('m1'))).ok, true);
    assert.equal((await meter.admit(acme, msg('m1'))).ok, true);
    assert.deepEqual(await meter.usage('t-acme'), { messagesToday: 1, bytesToday: 400, backlogBytes: 400 });
    await meter.release(msg('m1'));
    await meter.release(msg('m1'));
    assert.equal(await backlog(), 0);
    assert.equal((await meter.usage('t-acme')).messagesToday, 1, 'delivered mail still counts for the day');
  });

  it("refuses past the tenant's backlog cap with inbound_backlog_full, and the other tenant is untouched", async () => {
    assert.equal((await meter.admit(acme, msg('m2'))).ok, true);
    assert.equal((await meter.admit(acme, msg('m3'))).ok, true);
    assert.deepEqual(await meter.admit(acme, msg('m4')), { ok: false, refusal: 'inbound_backlog_full' });
    assert.equal(await backlog(), 800);
    assert.equal((await meter.admit(globex, msg('g1', 900, 't-globex'))).ok, true);
  });

  it('an admission whose message was never stored is taken back from the day and the backlog', async () => {
    await meter.release(msg('m2'));
    const admitted = await meter.admit(acme, msg('m5', 100));
    assert.ok(admitted.ok);
    const before = await meter.usage('t-acme');
    await meter.unadmit(admitted.admission);
    await meter.unadmit(admitted.admission);
    const afterwards = await meter.usage('t-acme');
    assert.deepEqual(
      [before.messagesToday - afterwards.messagesToday, before.bytesToday - afterwards.bytesToday, before.backlogBytes - afterwards.backlogBytes],
      [1, 100, 100],
    );
  });

  it('an entry left by a relay that died before its enqueue is dropped after the stale horizon, even by a mere read', async () => {
    // m3 (400 bytes) stays in the ledger as if its enqueue had never happened.
    assert.equal(await backlog(), 400);
    clock += 4 * HOUR - 1;
    assert.equal(await backlog(), 400);
    clock += 2;
    // RCPT reads the backlog before any admission: a tenant held at its cap by such entries is not stuck.
    assert.equal(await backlog(), 0);
    assert.equal((await meter.admit(acme, msg('m6', 900))).ok, true);
    assert.equal(await backlog(), 900);
    await meter.release(msg('m3'));
    assert.equal(await backlog(), 900, 'a late release of the dropped entry changes nothing');
  });
});
