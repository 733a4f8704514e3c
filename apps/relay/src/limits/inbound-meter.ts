import { checkInboundQuota, type InboundUsage, type Refusal, type TenantPolicy } from '@smarthost/relay-policy';
import type { Redis } from 'ioredis';

/**
 * Drops the ledger entries older than the stale horizon: they belong to messages whose enqueue never happened (the
 * relay died between the admission and the add; every real job is released by then, see InboundMeter). Run by
 * every script that reads the backlog, so such an entry can never hold a tenant at its cap for good.
 * KEYS[3] backlog sum, KEYS[4] ledger; ARGV[1] now, ARGV[2] the horizon (ms before now).
 */
const PRUNE_AND_COUNT_LUA = `
local stale = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]), 'LIMIT', 0, 100)
for _, member in ipairs(stale) do
  redis.call('ZREM', KEYS[4], member)
  if redis.call('DECRBY', KEYS[3], tonumber(string.match(member, ':(%d+)$'))) < 0 then redis.call('SET', KEYS[3], 0) end
end
local counts = {}
for i = 1, 3 do counts[i] = math.max(0, tonumber(redis.call('GET', KEYS[i]) or '0')) end
`;

/** Today's messages and bytes and the backlog (KEYS as below, ARGV: now, horizon). */
const USAGE_LUA = `${PRUNE_AND_COUNT_LUA}
return counts
`;

/**
 * Admits one inbound message: counts it against the tenant's day (messages, bytes) and backlog, atomically across
 * nodes, only when all three have room. The backlog is a ledger (sorted set, member `<messageId>:<size>`, score the
 * admission time) plus its sum, so admitting and releasing a message are idempotent: a retried admit or a job
 * delivered twice (at-least-once) counts once.
 * KEYS: messages today, bytes today, backlog sum, backlog ledger. ARGV: now, stale horizon, three limits, size,
 * member, day TTL. Returns ok (1/0) and the three counts before this message.
 */
const ADMIT_LUA = `${PRUNE_AND_COUNT_LUA}
local size = tonumber(ARGV[6])
local ok = counts[1] + 1 <= tonumber(ARGV[3]) and counts[2] + size <= tonumber(ARGV[4]) and counts[3] + size <= tonumber(ARGV[5])
if ok and redis.call('ZADD', KEYS[4], 'NX', ARGV[1], ARGV[7]) == 1 then
  if redis.call('INCRBY', KEYS[1], 1) == 1 then redis.call('EXPIRE', KEYS[1], ARGV[8]) end
  if redis.call('INCRBY', KEYS[2], size) == size then redis.call('EXPIRE', KEYS[2], ARGV[8]) end
  redis.call('INCRBY', KEYS[3], size)
end
return {ok and 1 or 0, counts[1], counts[2], counts[3]}
`;

/**
 * Takes a message off the backlog, once: only the call that removes its ledger member subtracts its size. KEYS:
 * backlog sum, ledger, then (a message refused after admission: it was never stored) its two day counters.
 */
const RELEASE_LUA = `
if redis.call('ZREM', KEYS[2], ARGV[1]) == 0 then return 0 end
local size = tonumber(ARGV[2])
local sums = {KEYS[1], KEYS[3], KEYS[4]}
local amounts = {size, 1, size}
for i = 1, #KEYS - 1 do
  if redis.call('DECRBY', sums[i], amounts[i]) < 0 then redis.call('SET', sums[i], 0, 'KEEPTTL') end
end
return 1
`;

const DAY_TTL_S = 2 * 86_400;

/**
 * A ledger entry older than twice the inbound maximum age cannot belong to a queued job (the worker gives up on
 * it at the maximum age and releases it), only to one never enqueued: see InboundMeter.
 */
export function inboundStaleAfterMs(inboundMaxAgeSeconds: number): number {
  return 2 * inboundMaxAgeSeconds * 1000;
}

/** The facts of a queued inbound message that name its ledger entry (all in the delivery job). */
export interface InboundMessage {
  tenantId: string;
  messageId: string;
  size: number;
}

export interface Admission extends InboundMessage {
  dayKeys: [string, string];
}

export type AdmitResult = { ok: true; admission: Admission } | Refusal;

type ScriptRedis = Redis & {
  smarthostInboundUsage(...args: (string | number)[]): Promise<number[]>;
  smarthostAdmitInbound(...args: (string | number)[]): Promise<number[]>;
  smarthostReleaseInbound(...args: (string | number)[]): Promise<number>;
};

/**
 * Port 25's meter: per tenant and UTC day, inbound messages and bytes (its plan's inbound limits), and the bytes of
 * its inbound mail queued and not yet delivered, bounced or expired (the backlog), so a tenant whose server is dead
 * stops at its own cap (`452 4.3.1`) and never fills the shared Redis for the others. Every key of a tenant has its
 * id as hash tag: one Redis Cluster slot per script.
 *
 * Drift: the relay admits before the enqueue and releases if the enqueue fails; the delivery worker releases a
 * message before its job completes (delivered, bounced, expired or dead-lettered), so a worker that dies after the
 * release replays the job and the second release is a no-op; one that dies before it replays and releases then.
 * What is left is a relay dying between admit and enqueue: that entry is dropped after `staleAfterMs`, which is
 * longer than any job may stay queued (the inbound maximum age), by the next read of the tenant's backlog. An enqueue that timed out but did land is
 * released at once and then no longer counted: an under-count of one message, never a stuck tenant.
 */
export class InboundMeter {
  private readonly redis: ScriptRedis;

  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly staleAfterMs: number,
    private readonly now: () => number = Date.now,
  ) {
    redis.defineCommand('smarthostInboundUsage', { numberOfKeys: 4, lua: USAGE_LUA });
    redis.defineCommand('smarthostAdmitInbound', { numberOfKeys: 4, lua: ADMIT_LUA });
    redis.defineCommand('smarthostReleaseInbound', { lua: RELEASE_LUA });
    this.redis = redis as ScriptRedis;
  }

  /** Today's usage and the backlog (RCPT: refuse before DATA when nothing more fits). */
  async usage(tenantId: string): Promise<InboundUsage> {
    const [messagesToday = 0, bytesToday = 0, backlogBytes = 0] = await this.redis.smarthostInboundUsage(...this.keys(tenantId), this.now(), this.staleAfterMs);
    return { messagesToday, bytesToday, backlogBytes };
  }

  async admit(tenant: TenantPolicy, message: InboundMessage): Promise<AdmitResult> {
    const keys = this.keys(tenant.id);
    const { messagesPerDay, bytesPerDay, backlogBytes } = tenant.inboundLimits;
    const limits = [messagesPerDay, bytesPerDay, backlogBytes];
    const [ok = 0, messagesToday = 0, bytesToday = 0, backlog = 0] = await this.redis.smarthostAdmitInbound(
      ...keys,
      this.now(),
      this.staleAfterMs,
      ...limits,
      message.size,
      member(message),
      DAY_TTL_S,
    );
    if (ok === 1) return { ok: true, admission: { ...message, dayKeys: [keys[0], keys[1]] } };
    return checkInboundQuota(tenant.inboundLimits, { messagesToday, bytesToday, backlogBytes: backlog }, message.size) ?? { ok: false, refusal: 'inbound_backlog_full' };
  }

  /** A message admitted but not stored: off the backlog and out of today's counts. */
  async unadmit(admission: Admission): Promise<void> {
    const [, , backlog, ledger] = this.keys(admission.tenantId);
    await this.redis.smarthostReleaseInbound(4, backlog, ledger, ...admission.dayKeys, member(admission), admission.size);
  }

  /** A queued message that needs no more delivery: off the backlog (idempotent). */
  async release(message: InboundMessage): Promise<void> {
    const [, , backlog, ledger] = this.keys(message.tenantId);
    await this.redis.smarthostReleaseInbound(2, backlog, ledger, member(message), message.size);
  }

  private keys(tenantId: string): [string, string, string, string] {
    const day = new Date(this.now()).toISOString().slice(0, 10);
    const base = `${this.prefix}:inbound:{${tenantId}}`;
    return [`${base}:messages:${day}`, `${base}:bytes:${day}`, `${base}:backlog`, `${base}:backlog:ledger`];
  }
}

function member(message: InboundMessage): string {
  return `${message.messageId}:${message.size}`;
}
