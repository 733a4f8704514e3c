import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface AuthLimits {
  maxFailuresPerIp: number;
  windowSeconds: number;
  usernameDelayMs: number;
  usernameMaxDelayMs: number;
}

/**
 * Failed-AUTH accounting shared by all nodes. Two different answers on purpose:
 * - an IP over its limit is blocked for the window (credential stuffing from one source);
 * - a username under attack only gets slower failure replies, never a lockout, because an attacker who
 *   knows a username must not be able to lock the real user (on another IP, with the right password) out.
 *   Successful logins are never delayed.
 */
export class AuthLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limits: AuthLimits,
  ) {}

  async isIpBlocked(ip: string): Promise<boolean> {
    const failures = Number((await this.redis.get(this.ipKey(ip))) ?? 0);
    return failures >= this.limits.maxFailuresPerIp;
  }

  /** Records a failure: how long to hold the failure reply for this username, and whether the IP is now blocked. */
  async recordFailure(ip: string, username: string): Promise<{ delayMs: number; ipBlocked: boolean }> {
    const window = this.limits.windowSeconds;
    const userKey = this.userKey(username);
    const results = await this.redis
      .multi()
      .incr(this.ipKey(ip))
      .expire(this.ipKey(ip), window, 'NX')
      .incr(userKey)
      .expire(userKey, window, 'NX')
      .exec();
    const ipFailures = Number(results?.[0]?.[1] ?? 1);
    const userFailures = Number(results?.[2]?.[1] ?? 1);
    return {
      delayMs: Math.min(this.limits.usernameMaxDelayMs, (userFailures - 1) * this.limits.usernameDelayMs),
      ipBlocked: ipFailures >= this.limits.maxFailuresPerIp,
    };
  }

  private ipKey(ip: string): string {
    return `${this.prefix}:authfail:ip:${ip}`;
  }

  // Hashed: usernames are client-supplied text of any shape; a digest keeps keys bounded and printable.
  private userKey(username: string): string {
    return `${this.prefix}:authfail:user:${createHash('sha256').update(username).digest('hex').slice(0, 32)}`;
  }
}
