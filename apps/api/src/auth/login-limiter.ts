import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { AppError } from '../core/app-error';
import { REDIS } from '../core/tokens';

const WINDOW_SECONDS = 15 * 60;
/** Failures from one address, whatever the account: beyond this the address is blocked until the window ends. */
export const IP_FAILURE_LIMIT = 30;
/** Failures for one account from one address: beyond this that pair is blocked; other addresses are unaffected. */
export const PAIR_FAILURE_LIMIT = 5;
/** Failures for one account from all addresses: beyond this the account is slowed, never locked. */
export const ACCOUNT_FAILURE_LIMIT = 10;
/** While an account is slowed, one attempt per this interval is let through, from whichever address comes first. */
export const SLOW_INTERVAL_MS = 2_000;

export class RateLimited extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('rate_limited', `too many attempts; retry after ${retryAfterSeconds} s`);
  }
}

/**
 * Brute-force limits for password checks, in Redis so every API instance shares them. An attacker who knows a
 * user's email can block only the addresses they themselves use; from any other address the real user is at most
 * slowed to one attempt per SLOW_INTERVAL_MS while a distributed attack runs (fixed 15-minute windows).
 */
@Injectable()
export class LoginLimiter {
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(API_CONFIG) config: ApiConfig,
  ) {
    this.prefix = `${config.REDIS_PREFIX}:login`;
  }

  /** Throws RateLimited when this attempt must not reach the password check. */
  async check(email: string, ip: string): Promise<void> {
    const keys = this.keys(email, ip);
    const [ipCount, pairCount, accountCount] = (await this.redis.mget(keys.ip, keys.pair, keys.account)).map(Number);
    if ((ipCount ?? 0) >= IP_FAILURE_LIMIT) throw new RateLimited(await this.secondsLeft(keys.ip));
    if ((pairCount ?? 0) >= PAIR_FAILURE_LIMIT) throw new RateLimited(await this.secondsLeft(keys.pair));
    if ((accountCount ?? 0) >= ACCOUNT_FAILURE_LIMIT) {
      const slot = await this.redis.set(keys.slow, '1', 'PX', SLOW_INTERVAL_MS, 'NX');
      if (slot !== 'OK') throw new RateLimited(Math.max(1, Math.ceil((await this.redis.pttl(keys.slow)) / 1000)));
    }
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    const keys = this.keys(email, ip);
    const pipeline = this.redis.multi();
    for (const key of [keys.ip, keys.pair, keys.account]) {
      pipeline.incr(key);
      pipeline.expire(key, WINDOW_SECONDS, 'NX');
    }
    await pipeline.exec();
  }

  /** The pair's count is cleared so a user who mistyped a few times starts afresh; the others run their window. */
  async recordSuccess(email: string, ip: string): Promise<void> {
    await this.redis.del(this.keys(email, ip).pair);
  }

  private async secondsLeft(key: string): Promise<number> {
    const ttl = await this.redis.ttl(key);
    return ttl > 0 ? ttl : WINDOW_SECONDS;
  }

  /** Emails are hashed so Redis holds no addresses. */
  private keys(email: string, ip: string) {
    const account = createHash('sha256').update(email).digest('hex').slice(0, 32);
    return {
      ip: `${this.prefix}:ip:${ip}`,
      pair: `${this.prefix}:pair:${account}:${ip}`,
      account: `${this.prefix}:account:${account}`,
      slow: `${this.prefix}:slow:${account}`,
    };
  }
}
