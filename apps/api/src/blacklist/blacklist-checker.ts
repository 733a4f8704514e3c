import type { PrismaClient } from '@smarthost/db';
import { type DnsResolver, isDnsError } from '@smarthost/dns';
import type { Logger } from '@smarthost/logger';
import { closeUnmonitored, recordAnswer, recordZoneHealth, type ZoneSweep } from './blacklist-store';
import { type BlacklistTarget, type DnsblZones, monitoredTargets } from './blacklist-targets';
import { interpret, queryName } from './dnsbl';
import { mapLimited } from './map-limited';

export interface BlacklistCheckDeps {
  prisma: PrismaClient;
  resolver: DnsResolver;
  logger: Logger;
  zones: DnsblZones;
}

export interface BlacklistCheckSummary {
  /** Target and zone pairs looked up. */
  checked: number;
  listed: number;
  /** Pairs with no usable answer, left as they were. */
  failed: number;
}

// Each lookup waits on a blocklist's name servers, not on us: ten at once keep a sweep short without a burst
// large enough for a list to rate-limit.
const CONCURRENCY = 10;
const RESPONSE_MAX = 500;

type Answer = { verdict: 'listed' | 'clean'; response: string | null } | { verdict: 'error'; detail: string };
type Outcome = { zone: string } & ({ verdict: 'listed' | 'clean' } | { verdict: 'error'; detail: string });

// The sweep running in this process, if any: the scheduled one and an operator's "check now" share it instead of
// asking every blocklist the same questions twice at once (lists rate-limit heavy askers).
let running: Promise<BlacklistCheckSummary> | undefined;

/** Looks every monitored target up in every zone and brings the stored listings up to date with the answers. */
export function runBlacklistCheck(deps: BlacklistCheckDeps): Promise<BlacklistCheckSummary> {
  running ??= sweep(deps).finally(() => {
    running = undefined;
  });
  return running;
}

async function sweep(deps: BlacklistCheckDeps): Promise<BlacklistCheckSummary> {
  const targets = await monitoredTargets(deps.prisma, deps.zones);
  const outcomes = await mapLimited(targets, CONCURRENCY, (target) => checkTarget(deps, target));
  await recordZoneHealth(deps.prisma, zoneSweeps(deps.zones, outcomes), new Date());
  for (const listing of await closeUnmonitored(deps.prisma, targets)) {
    deps.logger.info({ ...listing }, 'blacklist listing closed: its target is no longer monitored');
  }
  const summary = {
    checked: targets.length,
    listed: outcomes.filter((outcome) => outcome.verdict === 'listed').length,
    failed: outcomes.filter((outcome) => outcome.verdict === 'error').length,
  };
  deps.logger.info(summary, 'blacklist check finished');
  return summary;
}

/** Every configured zone's failed lookups and last error in this sweep, zones with no target included. */
function zoneSweeps(zones: DnsblZones, outcomes: readonly Outcome[]): ZoneSweep[] {
  const byZone = new Map<string, ZoneSweep>();
  for (const zone of new Set([...zones.ip, ...zones.domain])) byZone.set(zone, { zone, answered: 0, failed: 0, lastError: null });
  for (const outcome of outcomes) {
    const sweep = byZone.get(outcome.zone);
    if (!sweep) continue;
    if (outcome.verdict === 'error') {
      sweep.failed += 1;
      sweep.lastError = outcome.detail;
    } else sweep.answered += 1;
  }
  return [...byZone.values()];
}

async function checkTarget(deps: BlacklistCheckDeps, target: BlacklistTarget): Promise<Outcome> {
  const name = queryName(target.targetType, target.target, target.zone);
  const answer = await lookup(deps.resolver, name);
  if (answer.verdict === 'error') {
    // Recording no check: a listing flipped on a failed lookup would alarm (or reassure) someone for no reason.
    // The zone's health records the failure instead.
    deps.logger.warn({ ...target, name, detail: answer.detail }, 'blacklist lookup gave no verdict; listing left as it was');
    return { zone: target.zone, verdict: 'error', detail: answer.detail };
  }
  const change = await recordAnswer(deps.prisma, target, answer.response, answer.verdict === 'listed');
  if (change === 'listed') deps.logger.warn({ ...target, response: answer.response }, 'blacklist listing appeared');
  if (change === 'delisted') deps.logger.info({ ...target }, 'blacklist listing cleared');
  return { zone: target.zone, verdict: answer.verdict };
}

async function lookup(resolver: DnsResolver, name: string): Promise<Answer> {
  let addresses: string[];
  try {
    // A records only (RFC 5782 §2.1): an AAAA query would double what rate-limited lists count, and a list that
    // fails AAAA while answering A would make every lookup look failed and keep every listing open.
    addresses = await resolver.ipv4(name);
  } catch (error) {
    // NXDOMAIN is how a list says "not listed" (RFC 5782 §2.1); a temporary failure says nothing at all.
    if (isDnsError(error, 'not-found')) return { verdict: 'clean', response: null };
    if (isDnsError(error, 'temporary')) return { verdict: 'error', detail: `lookup failed (${error.code})` };
    throw error;
  }
  const verdict = interpret(addresses);
  if (verdict === 'error') return { verdict, detail: `answered ${addresses.join(', ')}` };
  return { verdict, response: verdict === 'listed' ? await reason(resolver, name, addresses) : null };
}

/**
 * Why the target is listed: the list's TXT record at the same name (usually a removal URL), best effort. Without
 * one, the return codes still tell which of the list's sub-lists matched.
 */
async function reason(resolver: DnsResolver, name: string, addresses: string[]): Promise<string> {
  const txt = await resolver.txt(name).catch((error: unknown) => {
    if (isDnsError(error)) return [];
    throw error;
  });
  return (txt.length > 0 ? txt : addresses).join(' | ').slice(0, RESPONSE_MAX);
}
