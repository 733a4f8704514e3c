import { z } from 'zod';

const zones = z.object({
  /** Blocklists the relay IPs are looked up in (config DNSBL_IP_ZONES). */
  ip: z.array(z.string()),
  /** Blocklists the verified domains are looked up in (config DNSBL_DOMAIN_ZONES). */
  domain: z.array(z.string()),
});

const listingTimes = {
  /** First check that found the listing. */
  since: z.iso.datetime(),
  /** Latest check that still found it. */
  lastSeenAt: z.iso.datetime(),
  /** The list's TXT record (usually a removal link), or its return codes when it publishes none. */
  response: z.string().nullable(),
};

/** Current listings only: a listing leaves these views when a check finds the target clean. */
export const tenantBlacklistView = z.object({
  /** Latest check of the caller's domains or the relay IPs; null before the first one. */
  checkedAt: z.iso.datetime().nullable(),
  zones,
  domains: z.array(z.object({ domainId: z.uuid(), domain: z.string(), zone: z.string(), ...listingTimes })),
  /** Addresses of the shared relay nodes, which every tenant's mail leaves from. */
  relayIps: z.array(z.object({ ip: z.string(), zone: z.string(), ...listingTimes })),
});
export type TenantBlacklistView = z.infer<typeof tenantBlacklistView>;

/** How one configured zone answered: failed lookups leave listings as they were, so they show here instead. */
const zoneHealth = z.object({
  zone: z.string(),
  /** Lookups of the latest sweep that gave no verdict (timeouts, SERVFAIL, refusal codes, answers outside 127/8). */
  failedLastSweep: z.int(),
  /** Lookups without a verdict since the zone was first checked. */
  failedTotal: z.int(),
  lastError: z.string().nullable(),
  lastErrorAt: z.iso.datetime().nullable(),
  /** Latest sweep in which the zone gave at least one verdict; null if it never has. */
  lastAnsweredAt: z.iso.datetime().nullable(),
  lastSweepAt: z.iso.datetime().nullable(),
});

export const operatorBlacklistView = z.object({
  /** Latest check of any target; null before the first one. */
  checkedAt: z.iso.datetime().nullable(),
  zones,
  /** One entry per configured zone, in config order. */
  zoneHealth: z.array(zoneHealth),
  listings: z.array(
    z.object({
      id: z.uuid(),
      targetType: z.enum(['ip', 'domain']),
      target: z.string(),
      zone: z.string(),
      /** The domain's owner (domain listings). */
      tenantId: z.uuid().nullable(),
      /** The node last seen announcing the address (IP listings). */
      relayNodeId: z.uuid().nullable(),
      ...listingTimes,
    }),
  ),
});
export type OperatorBlacklistView = z.infer<typeof operatorBlacklistView>;

export const blacklistCheckJobId = z.string().regex(/^check-[0-9a-f-]{36}$/, { message: 'must be a check id returned by POST /v1/operator/blacklist/check' });

/** A "check now" sweep: queued for a worker (WORKERS=true), answered at once, followed at its own URL. */
export const blacklistCheckStatus = z.object({
  jobId: z.string(),
  state: z.enum(['queued', 'running', 'finished', 'failed']),
  /** What the finished sweep did; null until it has finished. */
  summary: z.object({ checked: z.int(), listed: z.int(), failed: z.int() }).nullable(),
});
export type BlacklistCheckStatus = z.infer<typeof blacklistCheckStatus>;
