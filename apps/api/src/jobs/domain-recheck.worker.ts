import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { PrismaClient } from '@smarthost/db';
import type { DnsResolver } from '@smarthost/dns';
import type { Logger } from '@smarthost/logger';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { LOGGER, PRISMA, REDIS } from '../core/tokens';
import { DNS_RESOLVER } from '../domains/dns-resolver.provider';
import { DOMAIN_RECHECK_EVERY_MS, DOMAIN_RECHECK_QUEUE, DOMAIN_RECHECK_SCHEDULER_ID, type DomainRecheckData, SWEEP_JOB } from './domain-recheck.queue';
import { processDomainRecheckJob } from './domain-recheck.processor';

// DNS lookups wait on the network, not the CPU: a few in parallel keep a large sweep short.
const CONCURRENCY = 4;
const RETRY = { attempts: 3, backoff: { type: 'exponential', delay: 30_000 } } as const;

/** Schedules and runs the re-check, only in processes started with WORKERS=true. */
@Injectable()
export class DomainRecheckWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private queue: Queue<DomainRecheckData> | undefined;
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
    const queue = new Queue<DomainRecheckData>(DOMAIN_RECHECK_QUEUE, { ...options, defaultJobOptions: { ...RETRY, removeOnComplete: 1000, removeOnFail: 5000 } });
    this.queue = queue;
    await queue.upsertJobScheduler(DOMAIN_RECHECK_SCHEDULER_ID, { every: DOMAIN_RECHECK_EVERY_MS }, { name: SWEEP_JOB, data: {} });
    const deps = { prisma: this.prisma, resolver: this.resolver, queue };
    this.worker = new Worker(DOMAIN_RECHECK_QUEUE, (job) => processDomainRecheckJob(deps, job), { ...options, concurrency: CONCURRENCY });
    this.worker.on('failed', (job, error) => this.logger.warn({ err: error, jobId: job?.id, queue: DOMAIN_RECHECK_QUEUE }, 'domain re-check failed'));
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    await this.queue?.close();
  }
}
