import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { BlacklistListing, BlacklistZoneHealth, PrismaClient } from '@smarthost/db';
import { type Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { TenantContext } from '../auth/principal';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { AppError } from '../core/app-error';
import { PRISMA, REDIS } from '../core/tokens';
import { BLACKLIST_CHECK_QUEUE, BLACKLIST_SWEEP_JOB } from './blacklist-check.queue';
import type { BlacklistCheckSummary } from './blacklist-checker';
import type { BlacklistCheckStatus, OperatorBlacklistView, TenantBlacklistView } from './blacklist-schemas';
import { type DnsblZones, dnsblZones } from './blacklist-targets';

const OPEN_ORDER = [{ target: 'asc' }, { zone: 'asc' }] as const;

// While one "check now" waits or runs, asking again joins it: a sweep asks every list the same questions, and lists
// rate-limit heavy askers.
const CHECK_NOW_DEDUPLICATION = 'check-now';
const CHECK_NOW_JOB = { attempts: 1, removeOnComplete: { age: 86_400, count: 100 }, removeOnFail: { age: 86_400, count: 100 } };

@Injectable()
export class BlacklistService implements OnModuleDestroy {
  private readonly zones: DnsblZones;
  /** Producer only: the sweep runs in the scheduled worker of a WORKERS=true process, off the request. */
  private readonly checks: Queue;

  constructor(
    @Inject(API_CONFIG) config: ApiConfig,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(REDIS) redis: Redis,
  ) {
    this.zones = dnsblZones(config);
    this.checks = new Queue(BLACKLIST_CHECK_QUEUE, { connection: redis, prefix: config.REDIS_PREFIX });
  }

  async onModuleDestroy(): Promise<void> {
    await this.checks.close();
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
      zones: this.zoneNames(),
      // A domain deleted since the last check has no id to show; the next check closes its listing.
      domains: domainListings.flatMap((listing) => {
        const domainId = idByName.get(listing.target);
        return domainId ? [{ domainId, domain: listing.target, zone: listing.zone, ...times(listing) }] : [];
      }),
      relayIps: ipListings.map((listing) => ({ ip: listing.target, zone: listing.zone, ...times(listing) })),
    };
  }

  async operatorView(): Promise<OperatorBlacklistView> {
    const zones = this.zoneNames();
    const configured = [...new Set([...zones.ip, ...zones.domain])];
    const [listings, checkedAt, health] = await Promise.all([
      this.prisma.blacklistListing.findMany({ where: { delistedAt: null }, orderBy: [{ targetType: 'asc' }, ...OPEN_ORDER] }),
      this.latestCheck({}),
      this.prisma.blacklistZoneHealth.findMany({ where: { zone: { in: configured } } }),
    ]);
    const healthByZone = new Map(health.map((row) => [row.zone, row]));
    return {
      checkedAt: checkedAt?.toISOString() ?? null,
      zones,
      zoneHealth: configured.map((zone) => zoneHealthView(zone, healthByZone.get(zone))),
      listings: listings.map((listing) => {
        const { id, targetType, target, zone, tenantId, relayNodeId } = listing;
        return { id, targetType, target, zone, tenantId, relayNodeId, ...times(listing) };
      }),
    };
  }

  /**
   * Queues a whole check now instead of waiting for the schedule, and answers at once: a sweep waits on every list's
   * name servers, far too long for a request. The answer's id follows it (`checkStatus`).
   */
  async requestCheck(): Promise<BlacklistCheckStatus> {
    const job = await this.checks.add(BLACKLIST_SWEEP_JOB, {}, { ...CHECK_NOW_JOB, jobId: `check-${randomUUID()}`, deduplication: { id: CHECK_NOW_DEDUPLICATION } });
    return this.checkStatus(job.id ?? '');
  }

  async checkStatus(jobId: string): Promise<BlacklistCheckStatus> {
    const job = (await this.checks.getJob(jobId)) as Job<unknown, BlacklistCheckSummary> | undefined;
    if (!job) throw AppError.notFound('blacklist check');
    const state = await job.getState();
    if (state === 'completed') return { jobId, state: 'finished', summary: job.returnvalue };
    return { jobId, state: state === 'active' ? 'running' : state === 'failed' ? 'failed' : 'queued', summary: null };
  }

  private zoneNames(): TenantBlacklistView['zones'] {
    return { ip: [...this.zones.ip], domain: [...this.zones.domain] };
  }

  private async latestCheck(where: { tenantId?: string | null }): Promise<Date | null> {
    const row = await this.prisma.blacklistCheck.findFirst({ where, orderBy: { checkedAt: 'desc' }, select: { checkedAt: true } });
    return row?.checkedAt ?? null;
  }
}

function zoneHealthView(zone: string, row: BlacklistZoneHealth | undefined): OperatorBlacklistView['zoneHealth'][number] {
  return {
    zone,
    failedLastSweep: row?.failedLastSweep ?? 0,
    failedTotal: row?.failedTotal ?? 0,
    lastError: row?.lastError ?? null,
    lastErrorAt: row?.lastErrorAt?.toISOString() ?? null,
    lastAnsweredAt: row?.lastAnsweredAt?.toISOString() ?? null,
    lastSweepAt: row?.lastSweepAt.toISOString() ?? null,
  };
}

function times(listing: BlacklistListing) {
  return { since: listing.firstSeenAt.toISOString(), lastSeenAt: listing.lastSeenAt.toISOString(), response: listing.response };
}
