import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testRedis, waitFor, type TestRedis } from '@smarthost/testkit';
import { Redis } from 'ioredis';
import { AuthLimiter } from './auth-limiter';
import type { AuthLimits } from './auth-rules';

const limits: AuthLimits = {
  maxFailuresPerConnection: 3,
  tarpitStepMs: 10,
  tarpitMaxMs: 50,
  windowSeconds: 60,
  blockSeconds: 1,
  maxFailuresPerUsername: 4,
  maxUsernamesPerAddress: 3,
};

const hashTag = (key: string) => /\{([^}]*)\}/.exec(key)?.[1];

describe('AuthLimiter against Redis', () => {
  let redis: TestRedis;
  let connection: Redis;
  let limiter: AuthLimiter;

  before(async () => {
    redis = await testRedis();
    connection = new Redis(redis.url);
    limiter = new AuthLimiter(connection, redis.prefix, limits);
  });
  after(async () => {
    await connection.quit();
    await redis.cleanup();
  });

  it('counts per address, per username and per pair, and tarpits growing failures', async () => {
    const delays = [];
    for (let i = 0; i < 4; i += 1) delays.push((await limiter.recordFailure('192.0.2.1', 'alice')).delayMs);
    assert.deepEqual(delays, [0, 10, 20, 30]);
    assert.equal((await limiter.recordFailure('192.0.2.2', 'alice')).delayMs, 40, 'alice is slower from anywhere');
    assert.equal((await limiter.recordFailure('192.0.2.3', 'bob')).delayMs, 0, 'bob from a fresh address is not');
  });

  it('a flooded username is refused at that address only, and only for that username', async () => {
    for (let i = 0; i < 4; i += 1) assert.equal((await limiter.recordFailure('192.0.2.10', 'carol')).block, 'none');
    assert.equal((await limiter.recordFailure('192.0.2.10', 'carol')).block, 'username');
    const blocked = await limiter.blocked('192.0.2.10', 'carol');
    assert.equal(blocked.block, 'username');
    assert.ok(blocked.retryAfterMs > 0 && blocked.retryAfterMs <= 1000);
    assert.equal((await limiter.blocked('192.0.2.10', 'dave')).block, 'none', 'another username at the address');
    assert.equal((await limiter.blocked('192.0.2.11', 'carol')).block, 'none', 'the username at another address');
    await waitFor(async () => (await limiter.blocked('192.0.2.10', 'carol')).block === 'none', { description: 'the block to end' });
  });

  it('many usernames failing from one address refuse that address (credential stuffing), then it recovers', async () => {
    for (const user of ['u1', 'u2', 'u3']) assert.equal((await limiter.recordFailure('2001:db8:5:5::1', user)).block, 'none');
    assert.equal((await limiter.recordFailure('2001:db8:5:5::2', 'u4')).block, 'address', 'the same /64');
    assert.equal((await limiter.blocked('2001:db8:5:5::99', 'someone-else')).block, 'address');
    assert.equal((await limiter.blocked('2001:db8:5:6::1', 'u1')).block, 'none', 'the next /64');
    await waitFor(async () => (await limiter.blocked('2001:db8:5:5::1', 'u1')).block === 'none', { description: 'the block to end' });
  });

  it('every script touches one Redis Cluster slot: the address keys share one hash tag', () => {
    const keys = limiter.keys('2001:db8::1', 'alice');
    const perAddress = [keys.addressFailures, keys.addressUsernames, keys.addressBlock, keys.pairFailures, keys.pairBlock];
    assert.deepEqual(new Set(perAddress.map(hashTag)), new Set(['auth:2001:db8:0:0::/64']));
    assert.match(String(hashTag(keys.usernameFailures)), /^authuser:[0-9a-f]{32}$/);
  });
});
