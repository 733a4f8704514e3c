import { checkQuota, type CredentialPolicy, type Refusal, type TenantPolicy, type UsageCounts } from '@smarthost/relay-policy';
import type { Redis } from 'ioredis';

/**
 * Check-and-reserve in one script, so concurrent RCPTs on any number of nodes can never overshoot a limit:
 * Redis runs scripts one at a time. Counts only grow when every window has room; otherwise the current
 * counts come back for the pure `checkQuota` to name the exhausted window.
 * KEYS: month, day, tenant minute, credential minute. ARGV: four limits (-1 = none), three TTLs, amount.
 */
const RESERVE_LUA = `
local counts = {}
for i = 1, 4 do counts[i] = tonumber(redis.call('GET', KEYS[i]) or '0') end
local amount = tonumber(ARGV[8])
for i = 1, 4 do
  local limit = tonumber(ARGV[i])
  if limit >= 0 and counts[i] + amount > limit then
    return {0, counts[1], counts[2], counts[3], counts[4]}
  end
end
local ttl = {ARGV[5], ARGV[6], ARGV[7], ARGV[7]}
for i = 1, 4 do
  if redis.call('INCRBY', KEYS[i], amount) == amount then redis.call('EXPIRE', KEYS[i], ttl[i]) end
end
return {1, counts[1], counts[2], counts[3], counts[4]}
`;

/** Gives back reservations of a transaction that was not accepted; never below zero. */
const RELEASE_LUA = `
local amount = tonumber(ARGV[1])
for i = 1, #KEYS do
  local left = redis.call('DECRBY', KEYS[i], amount)
  if left < 0 then redis.call('SET', KEYS[i], 0, 'KEEPTTL') end
end
return 1
`;

const TTL_MONTH_S = 32 * 86_400;
const TTL_DAY_S = 2 * 86_400;
const TTL_MINUTE_S = 120;

export interface Reservation {
  keys: string[];
  amount: number;
}

export type ReserveResult = { ok: true; reservation: Reservation } | Refusal;

type ScriptRedis = Redis & {
  smarthostReserveQuota(...args: (string | number)[]): Promise<number[]>;
  smarthostReleaseQuota(...args: (string | number)[]): Promise<number>;
};

/** Per tenant per day, month and minute, and per credential per minute; counted per recipient. */
export class QuotaCounter {
  private readonly redis: ScriptRedis;

  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {
    redis.defineCommand('smarthostReserveQuota', { numberOfKeys: 4, lua: RESERVE_LUA });
    redis.defineCommand('smarthostReleaseQuota', { lua: RELEASE_LUA });
    this.redis = redis as ScriptRedis;
  }

  async reserve(tenant: TenantPolicy, credential: CredentialPolicy): Promise<ReserveResult> {
    const keys = this.keys(tenant.id, credential.id);
    const amount = 1;
    const { limits } = tenant;
    const [ok = 0, month = 0, day = 0, tenantMinute = 0, credentialMinute = 0] = await this.redis.smarthostReserveQuota(
      ...keys,
      limits.messagesPerMonth,
      limits.messagesPerDay,
      limits.messagesPerMinute,
      credential.ratePerMinute ?? -1,
      TTL_MONTH_S,
      TTL_DAY_S,
      TTL_MINUTE_S,
      amount,
    );
    if (ok === 1) return { ok: true, reservation: { keys, amount } };
    const usage: UsageCounts = { month, day, tenantMinute, credentialMinute };
    // checkQuota names the window exactly when one recipient is asked for, which is how the relay reserves.
    return checkQuota(tenant, credential, usage) ?? { ok: false, refusal: 'rate_limited' };
  }

  async release(reservations: readonly Reservation[]): Promise<void> {
    for (const { keys, amount } of reservations) {
      await this.redis.smarthostReleaseQuota(keys.length, ...keys, amount);
    }
  }

  private keys(tenantId: string, credentialId: string): string[] {
    const at = new Date(this.now());
    const day = at.toISOString().slice(0, 10);
    const month = day.slice(0, 7);
    const minute = Math.floor(at.getTime() / 60_000);
    // One hash tag per tenant: all four keys live in one Redis Cluster slot, as a script requires.
    const base = `${this.prefix}:quota:{${tenantId}}`;
    return [`${base}:month:${month}`, `${base}:day:${day}`, `${base}:minute:${minute}`, `${base}:cred:${credentialId}:minute:${minute}`];
  }
}
