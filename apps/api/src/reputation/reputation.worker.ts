import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '@smarthost/db';
import type { Logger } from '@smarthost/logger';
import type { Redis } from 'ioredis';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { type Schedule, ScheduledWorker } from '../core/scheduled-queue';
import { LOGGER, PRISMA, REDIS } from '../core/tokens';
import { pauseRules } from './pause-rules-config';
import { guardReputation } from './reputation-guard';

export const REPUTATION_QUEUE = 'reputation-guard';
export const REPUTATION_SCHEDULER_ID = 'reputation-guard-sweep';
// The rollups it reads are written as events arrive; five minutes bounds how long a bad list keeps sending.
const EVERY_MS = 5 * 60 * 1000;

/** Schedules and runs the reputation guard, only in processes started with WORKERS=true. */
@Injectable()
export class ReputationWorker extends ScheduledWorker {
  constructor(
    @Inject(API_CONFIG) config: ApiConfig,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(REDIS) redis: Redis,
    @Inject(LOGGER) logger: Logger,
  ) {
    super(config, redis, logger);
  }

  protected schedule(): Schedule<unknown> {
    const rules = pauseRules(this.config);
    return {
      queue: REPUTATION_QUEUE,
      schedulerId: REPUTATION_SCHEDULER_ID,
      jobName: 'guard',
      everyMs: EVERY_MS,
      jobOptions: { removeOnComplete: 100, removeOnFail: 1000 },
      concurrency: 1,
      process: async () => {
        const paused = await guardReputation(this.prisma, rules);
        for (const tenant of paused) this.logger.warn(tenant, 'tenant paused for its bounce or complaint rate');
        return { paused: paused.length };
      },
      description: 'reputation guard',
    };
  }
}
