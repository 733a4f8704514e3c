import type { BlacklistTargetType, PrismaClient } from '@smarthost/db';
import { checkForwardAddress } from '@smarthost/relay-policy';
import type { ApiConfig } from '../config/api-config';

export interface DnsblZones {
  ip: readonly string[];
  domain: readonly string[];
}

export function dnsblZones(config: Pick<ApiConfig, 'DNSBL_IP_ZONES' | 'DNSBL_DOMAIN_ZONES'>): DnsblZones {
  return { ip: config.DNSBL_IP_ZONES, domain: config.DNSBL_DOMAIN_ZONES };
}

/** One target looked up in one zone. */
export interface BlacklistTarget {
  targetType: BlacklistTargetType;
  target: string;
  zone: string;
  /** The domain's owner; null for relay IPs, which every tenant shares. */
  tenantId: string | null;
  /** The node announcing the IP; null for domains. */
  relayNodeId: string | null;
}

/**
 * What identifies a listing: a domain listing belongs to its tenant, an IP listing to everyone (two nodes announcing
 * one address share it).
 */
export function listingKey(listing: Pick<BlacklistTarget, 'targetType' | 'target' | 'zone' | 'tenantId'>): string {
  return [listing.targetType, listing.target, listing.zone, listing.tenantId ?? ''].join(' ');
}

/**
 * Everything that sends mail under our name: the public IPs of active relay nodes (paused and disabled ones send
 * nothing) in every IP zone, and every verified domain in every domain zone. A node reports its interface
 * addresses; private, loopback and reserved ones are nobody's reputation and are not sent to a blocklist.
 */
export async function monitoredTargets(prisma: PrismaClient, zones: DnsblZones): Promise<BlacklistTarget[]> {
  const [nodes, domains] = await Promise.all([
    prisma.relayNode.findMany({ where: { status: 'active' }, select: { id: true, publicIps: true }, orderBy: { id: 'asc' } }),
    prisma.domain.findMany({ where: { status: 'verified' }, select: { tenantId: true, name: true }, orderBy: { id: 'asc' } }),
  ]);
  const ips = nodes.flatMap((node) =>
    node.publicIps.filter((ip) => checkForwardAddress(ip, false).ok).flatMap((ip) => zones.ip.map((zone) => ({ targetType: 'ip' as const, target: ip, zone, tenantId: null, relayNodeId: node.id }))),
  );
  const names = domains.flatMap((domain) =>
    zones.domain.map((zone) => ({ targetType: 'domain' as const, target: domain.name, zone, tenantId: domain.tenantId, relayNodeId: null })),
  );
  const unique = new Map<string, BlacklistTarget>();
  for (const target of [...ips, ...names]) if (!unique.has(listingKey(target))) unique.set(listingKey(target), target);
  return [...unique.values()];
}
