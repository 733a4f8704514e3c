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

export const operatorBlacklistView = z.object({
  /** Latest check of any target; null before the first one. */
  checkedAt: z.iso.datetime().nullable(),
  zones,
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
