import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { freePort, waitFor } from '@smarthost/testkit';
import { Redis } from 'ioredis';
import { assertDurableRedis, RedisNotDurableError, redisDurabilityProblems } from './redis-durability';

/** A private redis-server with the given settings; the shared test Redis runs without AOF on purpose. */
async function redisWith(args: string[]): Promise<{ client: Redis; stop(): void }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'redis-durability-'));
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', ...args], { stdio: 'ignore' });
  // No automatic reconnect: waitFor retries connect() itself, and a background reconnect loop left over from a
  // first attempt made before the server listened kept the test process alive after the server was killed.
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  await waitFor(async () => client.connect().then(() => true, () => false), { timeoutMs: 10_000 });
  return { client, stop: () => (client.disconnect(), server.kill('SIGKILL')) };
}

describe('Redis durability check', () => {
  const stops: (() => void)[] = [];
  after(() => stops.forEach((stop) => stop()));

  it('passes with AOF on and noeviction', async () => {
    const redis = await redisWith(['--appendonly', 'yes', '--maxmemory-policy', 'noeviction']);
    stops.push(redis.stop);
    await assertDurableRedis(redis.client);
  });

  it('names each unsafe setting', async () => {
    const redis = await redisWith(['--appendonly', 'no', '--maxmemory-policy', 'allkeys-lru']);
    stops.push(redis.stop);
    const problems = await redisDurabilityProblems(redis.client);
    assert.deepEqual(problems, ['appendonly is "no", must be "yes"', 'maxmemory-policy is "allkeys-lru", must be "noeviction"']);
    await assert.rejects(assertDurableRedis(redis.client), RedisNotDurableError);
  });
});
