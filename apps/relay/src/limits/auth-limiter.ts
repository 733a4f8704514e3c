import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { clientKey, judgeFailure, type AuthLimits, type Block, type FailureVerdict } from './auth-rules';

/** Remaining milliseconds of the address block and of the username-at-address block (PTTL: -2 = none). */
const CHECK_LUA = `return {redis.call('PTTL', KEYS[1]), redis.call('PTTL', KEYS[2])}`;

/**
 * Counts one failure. KEYS: address failures, address usernames (set), username-at-address failures.
 * ARGV: window seconds, username digest. Returns the three counts. Every key carries the address's hash tag,
 * so the script touches one Redis Cluster slot.
 */
const RECORD_LUA = `
local window = tonumber(ARGV[1])
local address = redis.call('INCR', KEYS[1])
if address == 1 then redis.call('EXPIRE', KEYS[1], window) end
redis.call('SADD', KEYS[2], ARGV[2])
if redis.call('TTL', KEYS[2]) < 0 then redis.call('EXPIRE', KEYS[2], window) end
local pair = redis.call('INCR', KEYS[3])
if pair == 1 then redis.call('EXPIRE', KEYS[3], window) end
return {address, redis.call('SCARD', KEYS[2]), pair}
`;

type ScriptRedis = Redis & {
  smarthostAuthCheck(...keys: string[]): Promise<[number, number]>;
  smarthostAuthRecord(...args: (string | number)[]): Promise<[number, number, number]>;
};

export interface BlockState {
  block: Block;
  /** When it ends. */
  retryAfterMs: number;
}

/**
 * Failed-AUTH accounting shared by all nodes (rules in auth-rules.ts). Keys per client address share one hash tag
 * (`{auth:<address>}`); the per-username counter has its own (`{authuser:<digest>}`) and is a separate command.
 */
export class AuthLimiter {
  private readonly redis: ScriptRedis;

  constructor(
    redis: Redis,
    private readonly prefix: string,
    readonly limits: AuthLimits,
  ) {
    redis.defineCommand('smarthostAuthCheck', { numberOfKeys: 2, lua: CHECK_LUA });
    redis.defineCommand('smarthostAuthRecord', { numberOfKeys: 3, lua: RECORD_LUA });
    this.redis = redis as ScriptRedis;
  }

  /** Whether AUTH from this address (for this username) is refused right now, before the password is looked at. */
  async blocked(ip: string, username: string): Promise<BlockState> {
    const keys = this.keys(ip, username);
    const [address, pair] = await this.redis.smarthostAuthCheck(keys.addressBlock, keys.pairBlock);
    if (address > 0) return { block: 'address', retryAfterMs: address };
    if (pair > 0) return { block: 'username', retryAfterMs: pair };
    return { block: 'none', retryAfterMs: 0 };
  }

  /** Counts a failure and starts a block when it crosses a limit; returns how long to hold the reply. */
  async recordFailure(ip: string, username: string): Promise<FailureVerdict> {
    const keys = this.keys(ip, username);
    const window = this.limits.windowSeconds;
    const [[address, usernames, pair], usernameFailures] = await Promise.all([
      this.redis.smarthostAuthRecord(keys.addressFailures, keys.addressUsernames, keys.pairFailures, window, keys.digest),
      this.countUsernameFailure(keys.usernameFailures),
    ]);
    const verdict = judgeFailure({ addressFailures: address, usernameFailures, pairFailures: pair, usernames }, this.limits);
    if (verdict.block !== 'none') {
      const key = verdict.block === 'address' ? keys.addressBlock : keys.pairBlock;
      await this.redis.set(key, '1', 'EX', this.limits.blockSeconds);
    }
    return verdict;
  }

  private async countUsernameFailure(key: string): Promise<number> {
    const results = await this.redis.multi().incr(key).expire(key, this.limits.windowSeconds, 'NX').exec();
    return Number(results?.[0]?.[1] ?? 1);
  }

  /** Exposed for the test that every script's keys share one slot. */
  keys(ip: string, username: string) {
    // Hashed: usernames are client-supplied text of any shape; a digest keeps keys and sets bounded and printable.
    const digest = createHash('sha256').update(username).digest('hex').slice(0, 32);
    const address = `${this.prefix}:{auth:${clientKey(ip)}}`;
    return {
      digest,
      addressFailures: `${address}:failures`,
      addressUsernames: `${address}:usernames`,
      addressBlock: `${address}:block`,
      pairFailures: `${address}:user:${digest}:failures`,
      pairBlock: `${address}:user:${digest}:block`,
      usernameFailures: `${this.prefix}:{authuser:${digest}}:failures`,
    };
  }
}
