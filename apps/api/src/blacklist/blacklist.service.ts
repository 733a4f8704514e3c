import { Inject, Injectable } from '@nestjs/common';
import type { BlacklistListing, PrismaClient } from '@smarthost/db';
import type { DnsResolver } from '@smarthost/dns';
import type { Logger } from '@smarthost/logger';
import type { TenantContext } from '../auth/principal';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { LOGGER, PRISMA } from '../core/tokens';
import { DNS_RESOLVER } from '../domains/dns-resolver.provider';
import { type BlacklistCheckDeps, runBlacklistCheck } from './blacklist-checker';
import type { OperatorBlacklistView, TenantBlacklistView } from './blacklist-schemas';
import { dnsblZones } from './blacklist-targets';

const OPEN_ORDER = [{ target: 'asc' }, { zone: 'asc' }] as const;

@Injectable()
export class BlacklistService {
  private readonly deps: BlacklistCheckDeps;

  constructor(
    @Inject(API_CONFIG) config: ApiConfig,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(DNS_RESOLVER) resolver: DnsResolver,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.deps = { prisma, resolver, logger, zones: dnsblZones(config) };
  }

  /** The tenant's own domains, and the relay IPs every tenant sends from (shared, like the service status). */
  async tenantView(tenant: TenantContext): Promise<TenantBlacklistView> {
    const [domainListings, ipListings, own, shared] = await Promise.all([
      this.prisma.blacklistListing.findMany({ where: { tenantId: tenant.tenantId, targetType: 'domain', delistedAt: null }, orderBy: [...OPEN_ORDER] }),
      this.prisma.blacklistListing.findMany({ where: { targetType: 'ip', delistedAt: null }, orderBy: [...OPEN_ORDER] }),
      this.latestCheck({ tenantId: tenant.tenantId }),
      // IP checks are the ones without a tenant; both lookups use the (tenantId, checkedAt) index.
      this.latestCheck({ tenantId: null }),
    ]);
    const names = [...new Set(domainListings.map((listing) => listing.target))];
    const domains = await this.prisma.domain.findMany({ where: { tenantId: tenant.tenantId, name: { in: names } }, select: { id: true, name: true } });
    const idByName = new Map(domains.map((domain) => [domain.name, domain.id]));
    const checkedAt = own && shared && own > shared ? own : (shared ?? own);
    return {
      checkedAt: checkedAt?.toISOString() ?? null,
      zones: this.zones(),
      // A domain deleted since the last check has no id to show; the next check closes its listing.
      domains: domainListings.flatMap((listing) => {
        const domainId = idByName.get(listing.target);
        return domainId ? [{ domainId, domain: listing.target, zone: listing.zone, ...times(listing) }] : [];
      }),
      relayIps: ipListings.map((listing) => ({ ip: listing.target, zone: listing.zone, ...times(listing) })),
    };
  }

  async operatorView(): Promise<OperatorBlacklistView> {
    const [listings, checkedAt] = await Promise.all([
      this.prisma.blacklistListing.findMany({ where: { delistedAt: null }, orderBy: [{ targetType: 'asc' }, ...OPEN_ORDER] }),
      this.latestCheck({}),
    ]);
    return {
      checkedAt: checkedAt?.toISOString() ?? null,
      zones: this.zones(),
      listings: listings.map((listing) => {
        const { id, targetType, target, zone, tenantId, relayNodeId } = listing;
        return { id, targetType, target, zone, tenantId, relayNodeId, ...times(listing) };
      }),
    };
  }

  /** Runs a whole check now, in the request: an operator who just asked for a delisting wants to see it. */
  async checkNow(): Promise<OperatorBlacklistView> {
    await runBlacklistCheck(this.deps);
    return this.operatorView();
  }

  private zones(): TenantBlacklistView['zones'] {
    return { ip: [...this.deps.zones.ip], domain: [...this.deps.zones.domain] };
  }

  private async latestCheck(where: { tenantId?: string | null }): Promise<Date | null> {
    const row = await this.prisma.blacklistCheck.findFirst({ where, orderBy: { checkedAt: 'desc' }, select: { checkedAt: true } });
    return row?.checkedAt ?? null;
  }
}

function times(listing: BlacklistListing) {
  return { since: listing.firstSeenAt.toISOString(), lastSeenAt: listing.lastSeenAt.toISOString(), response: listing.response };
}
