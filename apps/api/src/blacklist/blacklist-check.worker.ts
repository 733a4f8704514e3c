import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '@smarthost/db';
import type { DnsResolver } from '@smarthost/dns';
import type { Logger } from '@smarthost/logger';
import type { Redis } from 'ioredis';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { type Schedule, ScheduledWorker } from '../core/scheduled-queue';
import { LOGGER, PRISMA, REDIS } from '../core/tokens';
import { DNS_RESOLVER } from '../domains/dns-resolver.provider';
import { dnsblZones } from './blacklist-targets';
import { BLACKLIST_CHECK_QUEUE, BLACKLIST_CHECK_SCHEDULER_ID, BLACKLIST_SWEEP_JOB } from './blacklist-check.queue';
import { processBlacklistCheckJob } from './blacklist-check.processor';

// A sweep that failed outright (database gone) is worth one more try before the next interval comes round.
const RETRY = { attempts: 2, backoff: { type: 'exponential', delay: 60_000 } } as const;

/** Schedules and runs the blocklist sweep, only in processes started with WORKERS=true. */
@Injectable()
export class BlacklistCheckWorker extends ScheduledWorker {
  constructor(
    @Inject(API_CONFIG) config: ApiConfig,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(REDIS) redis: Redis,
    @Inject(DNS_RESOLVER) private readonly resolver: DnsResolver,
    @Inject(LOGGER) logger: Logger,
  ) {
    super(config, redis, logger);
  }

  protected schedule(): Schedule<unknown> {
    const deps = { prisma: this.prisma, resolver: this.resolver, logger: this.logger, zones: dnsblZones(this.config) };
    return {
      queue: BLACKLIST_CHECK_QUEUE,
      schedulerId: BLACKLIST_CHECK_SCHEDULER_ID,
      jobName: BLACKLIST_SWEEP_JOB,
      everyMs: this.config.BLACKLIST_CHECK_INTERVAL_SECONDS * 1000,
      jobOptions: { ...RETRY, removeOnComplete: 100, removeOnFail: 500 },
      // One sweep at a time per process: a second would only repeat the same lookups.
      concurrency: 1,
      process: (job) => processBlacklistCheckJob(deps, job),
      description: 'blacklist check',
    };
  }
}
