import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testRedis, type TestRedis } from '@smarthost/testkit';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { addJobsTogether } from './add-together';
import { createQueue, createRedisConnection } from './connection';
import { QUEUE_NAMES } from './queue-names';

describe('addJobsTogether', () => {
  let redis: TestRedis;
  let connection: Redis;
  let delivery: Queue;
  let events: Queue;

  before(async () => {
    redis = await testRedis();
    connection = createRedisConnection({ url: redis.url, prefix: redis.prefix }, 'producer');
    delivery = createQueue(QUEUE_NAMES.delivery, { connection, prefix: redis.prefix });
    events = createQueue(QUEUE_NAMES.events, { connection, prefix: redis.prefix, defaultJobOptions: { attempts: 5, removeOnComplete: true } });
  });
  after(async () => {
    await delivery.close();
    await events.close();
    await connection.quit();
    await redis.cleanup();
  });

  it('stores jobs of two queues in one round trip, with each queue’s default options, as queue.add would', async () => {
    const results = await addJobsTogether([
      { queue: delivery, name: 'deliver', data: { n: 1 }, opts: { jobId: 'm-1' } },
      { queue: events, name: 'accepted', data: { e: 1 }, opts: { jobId: 'accepted-1' } },
    ]);
    assert.deepEqual(results, [
      { ok: true, id: 'm-1' },
      { ok: true, id: 'accepted-1' },
    ]);
    const job = await delivery.getJob('m-1');
    const event = await events.getJob('accepted-1');
    assert.deepEqual(job?.data, { n: 1 });
    assert.equal(job?.name, 'deliver');
    assert.deepEqual(event?.data, { e: 1 });
    assert.equal(event?.opts.attempts, 5);
    assert.equal(await delivery.getWaitingCount(), 1);
    assert.equal(await events.getWaitingCount(), 1);
  });

  it('a repeated add with the same ids stores nothing twice', async () => {
    const add = () =>
      addJobsTogether([
        { queue: delivery, name: 'deliver', data: { n: 2 }, opts: { jobId: 'm-2' } },
        { queue: events, name: 'accepted', data: { e: 2 }, opts: { jobId: 'accepted-2' } },
      ]);
    await add();
    const before = await delivery.getWaitingCount();
    const again = await add();
    assert.ok(again.every((r) => r.ok));
    assert.equal(await delivery.getWaitingCount(), before);
  });

  it('refuses queues on different connections', async () => {
    const other = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    const foreign = createQueue(QUEUE_NAMES.events, { connection: other, prefix: redis.prefix });
    try {
      await assert.rejects(
        addJobsTogether([
          { queue: delivery, name: 'deliver', data: {}, opts: { jobId: 'm-3' } },
          { queue: foreign, name: 'accepted', data: {}, opts: { jobId: 'accepted-3' } },
        ]),
        /share one Redis connection/,
      );
      assert.equal(await delivery.getJob('m-3'), undefined);
    } finally {
      await foreign.close();
      await other.quit();
    }
  });
});
