import { checkQuota, type CredentialPolicy, type Refusal, type TenantPolicy, type UsageCounts } from '@smarthost/relay-policy';
import type { Redis } from 'ioredis';
import { atTurnEnd } from '../net/coalesce-writes';

/**
 * Check-and-reserve in one script, so concurrent RCPTs on any number of nodes can never overshoot a limit:
 * Redis runs scripts one at a time. One call carries every reservation of one tenant asked for in one turn of
 * the event loop, checked and counted in order, each exactly as if alone: counts only grow when every window has
 * room; otherwise the current counts come back for the pure `checkQuota` to name the exhausted window.
 * KEYS: per reservation month, day, tenant minute, credential minute. ARGV: three TTLs (month, day, minute), then
 * per reservation four limits (-1 = none) and the amount. Returns per reservation ok (1/0) and the four counts.
 */
const RESERVE_LUA = `
local ttl = {ARGV[1], ARGV[2], ARGV[3], ARGV[3]}
local out = {}
for r = 0, #KEYS / 4 - 1 do
  local key, arg = r * 4, 3 + r * 5
  local counts = {}
  for i = 1, 4 do counts[i] = tonumber(redis.call('GET', KEYS[key + i]) or '0') end
  local amount = tonumber(ARGV[arg + 5])
  local ok = 1
  for i = 1, 4 do
    local limit = tonumber(ARGV[arg + i])
    if limit >= 0 and counts[i] + amount > limit then ok = 0 end
  end
  if ok == 1 then
    for i = 1, 4 do
      if redis.call('INCRBY', KEYS[key + i], amount) == amount then redis.call('EXPIRE', KEYS[key + i], ttl[i]) end
    end
  end
  table.insert(out, ok)
  for i = 1, 4 do table.insert(out, counts[i]) end
end
return out
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

interface PendingReservation {
  keys: string[];
  /** Four limits and the amount. */
  args: number[];
  resolve(reply: number[]): void;
  reject(error: unknown): void;
}

type ScriptRedis = Redis & {
  smarthostReserveQuota(...args: (string | number)[]): Promise<number[]>;
  smarthostReleaseQuota(...args: (string | number)[]): Promise<number>;
};

/**
 * Per tenant per day, month and minute, and per credential per minute; counted per recipient. The reservations of
 * one tenant asked for in one turn of the event loop go to Redis as one script call at the turn's end (atTurnEnd:
 * the same moment they would have been flushed one by one), not one call each.
 */
export class QuotaCounter {
  private readonly redis: ScriptRedis;
  /** By tenant: one hash tag, so one Redis Cluster slot per call. */
  private readonly pending = new Map<string, PendingReservation[]>();
  /** The UTC day and month of the current minute, worked out once a minute rather than per recipient. */
  private windows = { minute: -1, day: '', month: '' };

  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {
    redis.defineCommand('smarthostReserveQuota', { lua: RESERVE_LUA });
    redis.defineCommand('smarthostReleaseQuota', { lua: RELEASE_LUA });
    this.redis = redis as ScriptRedis;
  }

  async reserve(tenant: TenantPolicy, credential: CredentialPolicy): Promise<ReserveResult> {
    const keys = this.keys(tenant.id, credential.id);
    const amount = 1;
    const { limits } = tenant;
    const limitArgs = [limits.messagesPerMonth, limits.messagesPerDay, limits.messagesPerMinute, credential.ratePerMinute ?? -1, amount];
    const [ok = 0, month = 0, day = 0, tenantMinute = 0, credentialMinute = 0] = await this.ask(tenant.id, keys, limitArgs);
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

  private ask(tenantId: string, keys: string[], args: number[]): Promise<number[]> {
    return new Promise((resolve, reject) => {
      let batch = this.pending.get(tenantId);
      if (batch === undefined) {
        batch = [];
        this.pending.set(tenantId, batch);
        atTurnEnd(() => this.send(tenantId));
      }
      batch.push({ keys, args, resolve, reject });
    });
  }

  private send(tenantId: string): void {
    const batch = this.pending.get(tenantId) ?? [];
    this.pending.delete(tenantId);
    const keys: (string | number)[] = [batch.length * 4];
    const argv: number[] = [TTL_MONTH_S, TTL_DAY_S, TTL_MINUTE_S];
    for (const r of batch) {
      keys.push(...r.keys);
      argv.push(...r.args);
    }
    const fail = (error: unknown) => batch.forEach((r) => r.reject(error));
    try {
      this.redis.smarthostReserveQuota(...keys, ...argv).then((reply) => batch.forEach((r, i) => r.resolve(reply.slice(i * 5, i * 5 + 5))), fail);
    } catch (error) {
      fail(error);
    }
  }

  private keys(tenantId: string, credentialId: string): string[] {
    const minute = Math.floor(this.now() / 60_000);
    if (minute !== this.windows.minute) {
      const day = new Date(minute * 60_000).toISOString().slice(0, 10);
      this.windows = { minute, day, month: day.slice(0, 7) };
    }
    const { day, month } = this.windows;
    // One hash tag per tenant: all four keys live in one Redis Cluster slot, as a script requires.
    const base = `${this.prefix}:quota:{${tenantId}}`;
    return [`${base}:month:${month}`, `${base}:day:${day}`, `${base}:minute:${minute}`, `${base}:cred:${credentialId}:minute:${minute}`];
  }
}
