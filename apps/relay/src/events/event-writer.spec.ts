import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createQueue, createRedisConnection, eventId, MAX_EVENTS_PER_JOB, QUEUE_NAMES, type RelayEvent } from '@smarthost/queues';
import { testRedis, type TestRedis } from '@smarthost/testkit';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { coalesceRedisWrites } from '../net/coalesce-writes';
import { storedEvents } from '../test/stored-events';
import { EventWriter } from './event-writer';

const rejected = (session: string): RelayEvent => ({
  eventId: eventId('rejected', 'relay-1', session, 1),
  type: 'rejected',
  tenantId: null,
  domainId: null,
  credentialId: null,
  messageId: null,
  direction: 'inbound',
  code: 'relay_denied',
  smtpCode: 554,
  phase: 'rcpt',
  mailFrom: null,
  recipients: ['victim@example.org'],
  size: null,
  clientIp: '192.0.2.9',
  node: 'relay-1',
  occurredAt: new Date().toISOString(),
  detail: null,
  attempt: null,
  enhancedCode: null,
  remoteMta: null,
  subject: null,
  headerFrom: null,
  messageIdHeader: null,
});

describe('EventWriter', () => {
  let redis: TestRedis;
  let connection: Redis;
  let writer: EventWriter;
  let queue: Queue;

  before(async () => {
    redis = await testRedis();
    connection = createRedisConnection({ url: redis.url, prefix: redis.prefix }, 'producer');
    coalesceRedisWrites(connection);
    writer = new EventWriter(connection, redis.prefix);
    queue = createQueue(QUEUE_NAMES.events, { connection: redis.client, prefix: redis.prefix });
    await writer.queue.waitUntilReady();
    await writer.write([rejected('warm-up')]);
  });
  after(async () => {
    await writer.close();
    await queue.close();
    await connection.quit();
    await redis.cleanup();
  });

  const jobs = async () => (await queue.getJobs(['waiting'])).map((job) => ({ name: job.name, opts: job.opts, events: storedEvents(job.data) }));
  /** Jobs added after there were `count` (getJobs lists the newest first). */
  const addedSince = async (count: number) => {
    const all = await jobs();
    return all.slice(0, all.length - count);
  };

  it('writes the events of one turn of the event loop as one job, and resolves once it is stored', async () => {
    const before = (await jobs()).length;
    const writes = [writer.write([rejected('a1')]), writer.write([rejected('a2'), rejected('a3')])];
    await Promise.all(writes);
    const added = await addedSince(before);
    assert.equal(added.length, 1);
    assert.deepEqual(added[0]?.events.map((event) => event.eventId), ['a1', 'a2', 'a3'].map((s) => eventId('rejected', 'relay-1', s, 1)));
    assert.equal(added[0]?.opts.attempts, 5, 'the events queue’s retry options');
  });

  it('writes the batch into the same flush as the other writes of its turn', async () => {
    const stream = connection.stream as Socket;
    let flushes = 0;
    const writev = stream._writev?.bind(stream);
    const write = stream._write.bind(stream);
    stream._writev = (chunks, callback) => {
      flushes += 1;
      writev?.(chunks, callback);
    };
    stream._write = (chunk, encoding, callback) => {
      flushes += 1;
      write(chunk, encoding, callback);
    };
    try {
      await Promise.all([connection.get(`${redis.prefix}:probe`), writer.write([rejected('b1')]), connection.get(`${redis.prefix}:probe`)]);
    } finally {
      stream._writev = writev;
      stream._write = write;
    }
    assert.equal(flushes, 1, 'two commands and the event batch, one flush');
  });

  it(`splits a turn of more than ${MAX_EVENTS_PER_JOB} events over several jobs`, async () => {
    const before = (await jobs()).length;
    await writer.write(Array.from({ length: MAX_EVENTS_PER_JOB + 5 }, (_, i) => rejected(`c${i}`)));
    const sizes = (await addedSince(before)).map((job) => job.events.length).sort((x, y) => x - y);
    assert.deepEqual(sizes, [5, MAX_EVENTS_PER_JOB]);
  });

  it('rejects the writes of a batch that could not be stored', async () => {
    const broken = createRedisConnection({ url: redis.url, prefix: redis.prefix }, 'producer');
    const failing = new EventWriter(broken, redis.prefix);
    await failing.queue.waitUntilReady();
    broken.disconnect();
    await assert.rejects(failing.write([rejected('d1')]));
    await failing.queue.close();
  });
});
