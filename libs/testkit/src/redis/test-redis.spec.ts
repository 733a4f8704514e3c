import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { testRedis } from './test-redis';

describe('testRedis', () => {
  it('gives each caller its own prefix and deletes only its keys on cleanup', async () => {
    const [one, two] = await Promise.all([testRedis(), testRedis()]);
    const observer = new Redis(one.url);
    try {
      assert.notEqual(one.prefix, two.prefix);
      assert.doesNotMatch(one.prefix, /:/);
      // More keys than one SCAN batch, so cleanup must follow the cursor.
      const pipeline = one.client.pipeline();
      for (let i = 0; i < 1200; i++) pipeline.set(`${one.prefix}:key:${i}`, 'x');
      await pipeline.exec();
      await one.client.set(one.prefix, 'bare');
      await two.client.set(`${two.prefix}:key:0`, 'y');

      await one.cleanup();

      assert.deepEqual(await observer.keys(`${one.prefix}*`), []);
      assert.equal(await observer.get(`${two.prefix}:key:0`), 'y');
    } finally {
      observer.disconnect();
      await two.cleanup();
    }
  });

  it('uses REDIS_URL semantics: an explicit url wins', async () => {
    const redis = await testRedis({ url: 'redis://127.0.0.1:6379/0' });
    try {
      assert.equal(redis.url, 'redis://127.0.0.1:6379/0');
      assert.equal(await redis.client.ping(), 'PONG');
    } finally {
      await redis.cleanup();
    }
  });
});
