import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { PrismaClient } from '@smarthost/db';
import type { DnsResolver } from '@smarthost/dns';
import type { Logger } from '@smarthost/logger';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { LOGGER, PRISMA, REDIS } from '../core/tokens';
import { DNS_RESOLVER } from '../domains/dns-resolver.provider';
import { dnsblZones } from './blacklist-targets';
import { BLACKLIST_CHECK_QUEUE, BLACKLIST_CHECK_SCHEDULER_ID, BLACKLIST_SWEEP_JOB } from './blacklist-check.queue';
import { processBlacklistCheckJob } from './blacklist-check.processor';

// A sweep that failed outright (database gone) is worth one more try before the next interval comes round.
const RETRY = { attempts: 2, backoff: { type: 'exponential', delay: 60_000 } } as const;

/** Schedules and runs the blocklist sweep, only in processes started with WORKERS=true. */
@Injectable()
export class BlacklistCheckWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private queue: Queue | undefined;
  private worker: Worker | undefined;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(DNS_RESOLVER) private readonly resolver: DnsResolver,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.WORKERS) return;
    const options = { connection: this.redis, prefix: this.config.REDIS_PREFIX };
    const queue = new Queue(BLACKLIST_CHECK_QUEUE, { ...options, defaultJobOptions: { ...RETRY, removeOnComplete: 100, removeOnFail: 500 } });
    this.queue = queue;
    const every = this.config.BLACKLIST_CHECK_INTERVAL_SECONDS * 1000;
    await queue.upsertJobScheduler(BLACKLIST_CHECK_SCHEDULER_ID, { every }, { name: BLACKLIST_SWEEP_JOB, data: {} });
    const deps = { prisma: this.prisma, resolver: this.resolver, logger: this.logger, zones: dnsblZones(this.config) };
    // One sweep at a time per process: a second would only repeat the same lookups.
    this.worker = new Worker(BLACKLIST_CHECK_QUEUE, (job) => processBlacklistCheckJob(deps, job), { ...options, concurrency: 1 });
    this.worker.on('failed', (job, error) => this.logger.warn({ err: error, jobId: job?.id, queue: BLACKLIST_CHECK_QUEUE }, 'blacklist check failed'));
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    await this.queue?.close();
  }
}
