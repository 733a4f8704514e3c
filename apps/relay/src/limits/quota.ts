import { checkQuota, type CredentialPolicy, type Refusal, type TenantPolicy, type UsageCounts } from '@smarthost/relay-policy';
import type { Redis } from 'ioredis';
import { atTurnEnd } from '../net/coalesce-writes';
import { LeaseBook, type Lease, type Unused } from './quota-leases';

/**
 * Check-and-reserve in one script, so concurrent RCPTs on any number of nodes can never overshoot a limit:
 * Redis runs scripts one at a time. One call carries every reservation of one tenant asked for in one turn of
 * the event loop, checked and counted in order, each exactly as if alone: counts only grow when every window has
 * room; otherwise the current counts come back for the pure `checkQuota` to name the exhausted window. A
 * reservation that fits takes a lease instead of its amount when every window keeps the headroom after it.
 * KEYS: per reservation month, day, tenant minute, credential minute. ARGV: three TTLs (month, day, minute), then
 * per reservation four limits (-1 = none), the amount, the lease and the headroom. Returns per reservation ok
 * (1/0), the four counts before it, and the units counted (0, the amount or the lease).
 */
const RESERVE_LUA = `
local ttl = {ARGV[1], ARGV[2], ARGV[3], ARGV[3]}
local out = {}
for r = 0, #KEYS / 4 - 1 do
  local key, arg = r * 4, 3 + r * 7
  local counts, limits = {}, {}
  for i = 1, 4 do
    counts[i] = tonumber(redis.call('GET', KEYS[key + i]) or '0')
    limits[i] = tonumber(ARGV[arg + i])
  end
  local amount, lease, headroom = tonumber(ARGV[arg + 5]), tonumber(ARGV[arg + 6]), tonumber(ARGV[arg + 7])
  local take = amount
  for i = 1, 4 do
    if limits[i] >= 0 and counts[i] + amount > limits[i] then take = 0 end
    if limits[i] >= 0 and counts[i] + lease + headroom > limits[i] then lease = amount end
  end
  if take > 0 then
    if lease > take then take = lease end
    for i = 1, 4 do
      if redis.call('INCRBY', KEYS[key + i], take) == take then redis.call('EXPIRE', KEYS[key + i], ttl[i]) end
    end
  end
  table.insert(out, take > 0 and 1 or 0)
  for i = 1, 4 do table.insert(out, counts[i]) end
  table.insert(out, take)
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

/**
 * Leases (see QuotaCounter): units taken at once, only while every window keeps this much room after them, and
 * given back after this long unused. A lease holds at most LEASE_UNITS per node per credential, so with fewer
 * than LEASE_HEADROOM / LEASE_UNITS nodes the units leased elsewhere can never make a node refuse what the limit
 * still allows: near a limit every recipient is counted in Redis on its own, as without leases.
 */
export const LEASE_UNITS = 128;
export const LEASE_HEADROOM = 5000;
export const LEASE_IDLE_MS = 1000;

export interface Reservation {
  keys: readonly string[];
  amount: number;
  /** Set when the unit came from (or started) a lease: it goes back there, not to Redis. */
  lease?: Lease;
}

export type ReserveResult = { ok: true; reservation: Reservation } | Refusal;

interface PendingReservation {
  keys: readonly string[];
  /** Four limits, the amount, the lease and the headroom. */
  args: number[];
  resolve(reply: number[]): void;
  reject(error: unknown): void;
}

type ScriptRedis = Redis & {
  smarthostReserveQuota(...args: (string | number)[]): Promise<number[]>;
  smarthostReleaseQuota(...args: (string | number)[]): Promise<number>;
};

export interface QuotaCounterOptions {
  now?: () => number;
  /** A lease's unused units could not be given back (they stay counted until their window ends). */
  onReturnFailed?: (error: unknown) => void;
}

/**
 * Per tenant per day, month and minute, and per credential per minute; counted per recipient, atomically across
 * nodes in Redis. The reservations of one tenant asked for in one turn of the event loop go to Redis as one script
 * call at the turn's end (atTurnEnd: the same moment they would have been flushed one by one).
 *
 * Far from every limit, a reservation takes a lease of LEASE_UNITS for its credential and this minute, counted in
 * Redis at once, and the next recipients of that credential on this node are served from it without a round trip
 * (the RCPT reply then leaves with the MAIL reply, as in a server without quotas). Unused units go back to Redis
 * when the lease is idle, its minute ends, its tenant's or credential's policy changes, or the node shuts down.
 * Nothing is ever accepted beyond a limit: leased units are counted before they are handed out.
 */
export class QuotaCounter {
  private readonly redis: ScriptRedis;
  private readonly now: () => number;
  private readonly onReturnFailed: (error: unknown) => void;
  /** By tenant: one hash tag, so one Redis Cluster slot per call. */
  private readonly pending = new Map<string, PendingReservation[]>();
  private readonly leases = new LeaseBook(LEASE_IDLE_MS);
  /** Credentials with a lease asked for and not yet answered: their other recipients meanwhile ask for one unit. */
  private readonly leasing = new Set<string>();
  private sweeper: NodeJS.Timeout | undefined;
  /** The UTC day and month of the current minute, worked out once a minute rather than per recipient. */
  private windows = { minute: -1, day: '', month: '' };

  constructor(
    redis: Redis,
    private readonly prefix: string,
    options: QuotaCounterOptions = {},
  ) {
    redis.defineCommand('smarthostReserveQuota', { lua: RESERVE_LUA });
    redis.defineCommand('smarthostReleaseQuota', { lua: RELEASE_LUA });
    this.redis = redis as ScriptRedis;
    this.now = options.now ?? Date.now;
    this.onReturnFailed = options.onReturnFailed ?? (() => undefined);
  }

  async reserve(tenant: TenantPolicy, credential: CredentialPolicy): Promise<ReserveResult> {
    const now = this.now();
    const minute = Math.floor(now / 60_000);
    const leased = this.leases.take(tenant, credential, minute, now);
    if (leased !== undefined) return { ok: true, reservation: { keys: leased.keys, amount: 1, lease: leased } };
    void this.returnUnused(this.leases.retireStale(tenant, credential, minute));
    const keys = this.keys(tenant.id, credential.id, minute);
    const amount = 1;
    const { limits } = tenant;
    // One lease per credential and node at a time: at most LEASE_UNITS of its units are ever held here.
    const leasing = !this.leasing.has(credential.id);
    if (leasing) this.leasing.add(credential.id);
    const args = [limits.messagesPerMonth, limits.messagesPerDay, limits.messagesPerMinute, credential.ratePerMinute ?? -1, amount, leasing ? LEASE_UNITS : amount, LEASE_HEADROOM];
    let reply: number[];
    try {
      reply = await this.ask(tenant.id, keys, args);
    } finally {
      if (leasing) this.leasing.delete(credential.id);
    }
    const [ok = 0, month = 0, day = 0, tenantMinute = 0, credentialMinute = 0, taken = 0] = reply;
    if (ok === 1) return { ok: true, reservation: { keys, amount, lease: taken > amount ? this.lease(tenant, credential, minute, keys, taken) : undefined } };
    const usage: UsageCounts = { month, day, tenantMinute, credentialMinute };
    // checkQuota names the window exactly when one recipient is asked for, which is how the relay reserves.
    return checkQuota(tenant, credential, usage) ?? { ok: false, refusal: 'rate_limited' };
  }

  async release(reservations: readonly Reservation[]): Promise<void> {
    for (const reservation of reservations) {
      if (reservation.lease !== undefined && this.leases.giveBack(reservation.lease)) continue;
      await this.redis.smarthostReleaseQuota(reservation.keys.length, ...reservation.keys, reservation.amount);
    }
  }

  /** Gives every lease's unused units back (shutdown). */
  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    await Promise.all(this.leases.retireAll().map((unused) => this.returnUnused(unused)));
  }

  private lease(tenant: TenantPolicy, credential: CredentialPolicy, minute: number, keys: readonly string[], granted: number): Lease {
    const { lease, replaced } = this.leases.grant({ credentialId: credential.id, keys, minute, tenant, credential, granted }, this.now());
    void this.returnUnused(replaced);
    this.sweeper ??= setInterval(() => this.sweep(), LEASE_IDLE_MS).unref();
    return lease;
  }

  private sweep(): void {
    for (const unused of this.leases.retireIdle(this.now())) void this.returnUnused(unused);
    if (this.leases.size === 0) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }

  /** Never rejects: units that cannot be given back stay counted until their window ends (onReturnFailed). */
  private async returnUnused(unused: Unused | null): Promise<void> {
    if (unused === null) return;
    await this.release([{ keys: unused.keys, amount: unused.amount }]).catch(this.onReturnFailed);
  }

  private ask(tenantId: string, keys: readonly string[], args: number[]): Promise<number[]> {
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
      this.redis.smarthostReserveQuota(...keys, ...argv).then((reply) => batch.forEach((r, i) => r.resolve(reply.slice(i * 6, i * 6 + 6))), fail);
    } catch (error) {
      fail(error);
    }
  }

  private keys(tenantId: string, credentialId: string, minute: number): string[] {
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
