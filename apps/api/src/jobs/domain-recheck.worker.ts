import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '@smarthost/db';
import type { DnsResolver } from '@smarthost/dns';
import type { Logger } from '@smarthost/logger';
import type { Redis } from 'ioredis';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { type Schedule, ScheduledWorker } from '../core/scheduled-queue';
import { LOGGER, PRISMA, REDIS } from '../core/tokens';
import { DNS_RESOLVER } from '../domains/dns-resolver.provider';
import { DOMAIN_RECHECK_EVERY_MS, DOMAIN_RECHECK_QUEUE, DOMAIN_RECHECK_SCHEDULER_ID, type DomainRecheckData, SWEEP_JOB } from './domain-recheck.queue';
import { processDomainRecheckJob } from './domain-recheck.processor';

// DNS lookups wait on the network, not the CPU: a few in parallel keep a large sweep short.
const CONCURRENCY = 4;
const RETRY = { attempts: 3, backoff: { type: 'exponential', delay: 30_000 } } as const;

/** Schedules and runs the re-check, only in processes started with WORKERS=true. */
@Injectable()
export class DomainRecheckWorker extends ScheduledWorker<DomainRecheckData> {
  constructor(
    @Inject(API_CONFIG) config: ApiConfig,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(REDIS) redis: Redis,
    @Inject(DNS_RESOLVER) private readonly resolver: DnsResolver,
    @Inject(LOGGER) logger: Logger,
  ) {
    super(config, redis, logger);
  }

  protected schedule(): Schedule<DomainRecheckData> {
    return {
      queue: DOMAIN_RECHECK_QUEUE,
      schedulerId: DOMAIN_RECHECK_SCHEDULER_ID,
      jobName: SWEEP_JOB,
      everyMs: DOMAIN_RECHECK_EVERY_MS,
      jobOptions: { ...RETRY, removeOnComplete: 1000, removeOnFail: 5000 },
      concurrency: CONCURRENCY,
      process: (job, queue) => processDomainRecheckJob({ prisma: this.prisma, resolver: this.resolver, queue }, job),
      description: 'domain re-check',
    };
  }
}
