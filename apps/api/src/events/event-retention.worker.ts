import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '@smarthost/db';
import type { Logger } from '@smarthost/logger';
import type { Redis } from 'ioredis';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { type Schedule, ScheduledWorker } from '../core/scheduled-queue';
import { LOGGER, PRISMA, REDIS } from '../core/tokens';
import { purgeExpired } from './event-retention';

export const EVENT_RETENTION_QUEUE = 'event-retention';
/** One scheduler for the whole deployment: every API process upserts the same id, so there is never a second one. */
export const EVENT_RETENTION_SCHEDULER_ID = 'event-retention-sweep';
// Hourly keeps each run small (one hour of expired rows) instead of a daily burst of deletes.
const EVERY_MS = 60 * 60 * 1000;

/** Schedules and runs the retention sweep, only in processes started with WORKERS=true. */
@Injectable()
export class EventRetentionWorker extends ScheduledWorker {
  constructor(
    @Inject(API_CONFIG) config: ApiConfig,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(REDIS) redis: Redis,
    @Inject(LOGGER) logger: Logger,
  ) {
    super(config, redis, logger);
  }

  protected schedule(): Schedule<unknown> {
    const policy = {
      eventRetentionDays: this.config.EVENT_RETENTION_DAYS,
      rollupRetentionDays: this.config.ROLLUP_RETENTION_DAYS,
      checkRetentionDays: this.config.BLACKLIST_CHECK_RETENTION_DAYS,
    };
    return {
      queue: EVENT_RETENTION_QUEUE,
      schedulerId: EVENT_RETENTION_SCHEDULER_ID,
      jobName: 'purge',
      everyMs: EVERY_MS,
      jobOptions: { removeOnComplete: 100, removeOnFail: 1000 },
      concurrency: 1,
      process: async () => {
        const result = await purgeExpired(this.prisma, policy);
        this.logger.info(result, 'expired events, rollups, blocklist checks and Stripe event ids deleted');
        return result;
      },
      description: 'retention sweep',
    };
  }
}
