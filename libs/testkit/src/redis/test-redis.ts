import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export interface TestRedis {
  url: string;
  /**
   * Key namespace for this test file: give it to BullMQ as `prefix` and to app code as its key
   * prefix; every key must be `<prefix>:...`. No colon inside, so it works as a BullMQ prefix.
   */
  prefix: string;
  /** A connected client for inspecting keys (full names, no keyPrefix: BullMQ forbids one). */
  client: Redis;
  /** Deletes every `<prefix>:*` key and disconnects the client. */
  cleanup(): Promise<void>;
}

/**
 * Isolation by key prefix rather than by logical database: BullMQ and Redis Cluster only use
 * db 0, and SELECT would not isolate the pub/sub channels BullMQ uses.
 */
export async function testRedis(options: { url?: string } = {}): Promise<TestRedis> {
  const url = options.url ?? process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
  const prefix = `smarthost-test-${process.pid}-${randomBytes(6).toString('hex')}`;
  const client = new Redis(url, { maxRetriesPerRequest: 3 });
  await client.ping();
  return {
    url,
    prefix,
    client,
    cleanup: async () => {
      await deleteByPattern(client, `${prefix}:*`);
      await client.del(prefix);
      await client.quit();
    },
  };
}

export async function deleteByPattern(client: Redis, pattern: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    // UNLINK frees memory in the background: a large BullMQ queue does not block Redis.
    if (keys.length > 0) deleted += await client.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}
