import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { PrismaClient } from '@smarthost/db';
import type { Logger } from '@smarthost/logger';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { LOGGER, PRISMA, REDIS } from '../core/tokens';
import { purgeExpired } from './event-retention';

export const EVENT_RETENTION_QUEUE = 'event-retention';
/** One scheduler for the whole deployment: every API process upserts the same id, so there is never a second one. */
export const EVENT_RETENTION_SCHEDULER_ID = 'event-retention-sweep';
// Hourly keeps each run small (one hour of expired rows) instead of a daily burst of deletes.
const EVERY_MS = 60 * 60 * 1000;

/** Schedules and runs the retention sweep, only in processes started with WORKERS=true. */
@Injectable()
export class EventRetentionWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private queue: Queue | undefined;
  private worker: Worker | undefined;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.WORKERS) return;
    const options = { connection: this.redis, prefix: this.config.REDIS_PREFIX };
    this.queue = new Queue(EVENT_RETENTION_QUEUE, { ...options, defaultJobOptions: { removeOnComplete: 100, removeOnFail: 1000 } });
    await this.queue.upsertJobScheduler(EVENT_RETENTION_SCHEDULER_ID, { every: EVERY_MS }, { name: 'purge' });
    const policy = {
      eventRetentionDays: this.config.EVENT_RETENTION_DAYS,
      rollupRetentionDays: this.config.ROLLUP_RETENTION_DAYS,
      checkRetentionDays: this.config.BLACKLIST_CHECK_RETENTION_DAYS,
    };
    this.worker = new Worker(EVENT_RETENTION_QUEUE, async () => {
      const result = await purgeExpired(this.prisma, policy);
      this.logger.info(result, 'expired events, rollups and blocklist checks deleted');
      return result;
    }, options);
    this.worker.on('failed', (job, error) => this.logger.warn({ err: error, jobId: job?.id, queue: EVENT_RETENTION_QUEUE }, 'retention sweep failed'));
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    await this.queue?.close();
  }
}
