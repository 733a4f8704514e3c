import { Queue, type JobsOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import type { QueueName } from './queue-names';

export interface QueueConnectionConfig {
  url: string;
  /** Namespace of every key (BullMQ prefix); no ':' inside. */
  prefix: string;
}

export type ConnectionRole = 'producer' | 'worker';

/**
 * A Redis connection for BullMQ. Producers must fail fast when Redis is down (the relay then answers 4xx
 * instead of holding the SMTP client), so they get no offline queue and a single attempt per command.
 * Workers block on Redis and must retry forever (BullMQ requires `maxRetriesPerRequest: null`).
 */
export function createRedisConnection(config: QueueConnectionConfig, role: ConnectionRole, extra: RedisOptions = {}): Redis {
  const roleOptions: RedisOptions =
    role === 'producer'
      ? { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 }
      : { maxRetriesPerRequest: null };
  return new Redis(config.url, { ...roleOptions, ...extra });
}

export interface CreateQueueOptions {
  connection: Redis;
  prefix: string;
  defaultJobOptions?: JobsOptions;
}

export function createQueue<Data>(name: QueueName, options: CreateQueueOptions): Queue<Data> {
  if (options.prefix.includes(':')) throw new Error(`queue prefix must not contain ':' (${options.prefix})`);
  return new Queue<Data>(name, {
    connection: options.connection,
    prefix: options.prefix,
    // Not skipWaitingForReady: BullMQ checks the Redis version once at start, and if that check fails
    // (Redis down, no offline queue) the Queue stays broken for good. Waiting for "ready" instead means adds
    // made while Redis is down wait (callers bound that with a timeout) and work again once it is back.
    ...(options.defaultJobOptions ? { defaultJobOptions: options.defaultJobOptions } : {}),
  });
}
