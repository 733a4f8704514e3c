import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testRedis, type TestRedis } from '@smarthost/testkit';
import type { Queue, RedisClient } from 'bullmq';
import type { Redis } from 'ioredis';
import { addJobOn } from './add-job-on';
import { createQueue, createRedisConnection } from './connection';
import { QUEUE_NAMES } from './queue-names';

describe('addJobOn', () => {
  let redis: TestRedis;
  let connection: Redis;
  let events: Queue;
  let client: RedisClient;

  before(async () => {
    redis = await testRedis();
    connection = createRedisConnection({ url: redis.url, prefix: redis.prefix }, 'producer');
    events = createQueue(QUEUE_NAMES.events, { connection, prefix: redis.prefix, defaultJobOptions: { attempts: 5, removeOnComplete: true } });
    client = await events.backend.client;
  });
  after(async () => {
    await events.close();
    await connection.quit();
    await redis.cleanup();
  });

  it('stores the job with the queue’s default options, as queue.add would', async () => {
    assert.equal(await addJobOn(client, { queue: events, name: 'events', data: { e: 1 }, opts: { jobId: 'events-1' } }), 'events-1');
    const job = await events.getJob('events-1');
    assert.deepEqual(job?.data, { e: 1 });
    assert.equal(job?.name, 'events');
    assert.equal(job?.opts.attempts, 5);
    assert.equal(job?.opts.removeOnComplete, true);
  });

  it('has the command on its way to Redis before it returns', async () => {
    const queued = () => (connection as unknown as { commandQueue: { length: number } }).commandQueue.length;
    const before = queued();
    const added = addJobOn(client, { queue: events, name: 'events', data: { e: 2 }, opts: { jobId: 'events-2' } });
    assert.equal(queued(), before + 1, 'written synchronously, waiting only for its reply');
    await added;
  });

  it('a repeated add with the same id stores nothing twice', async () => {
    const add = () => addJobOn(client, { queue: events, name: 'events', data: { e: 3 }, opts: { jobId: 'events-3' } });
    await add();
    const count = await events.getWaitingCount();
    assert.equal(await add(), 'events-3');
    assert.equal(await events.getWaitingCount(), count);
  });
});
