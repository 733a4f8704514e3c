import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { PrismaClient } from '@smarthost/db';
import type { Logger } from '@smarthost/logger';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { LOGGER, PRISMA } from '../core/tokens';
import { type EventIngest, startEventIngest } from './event-ingest.worker';

/** Runs the events-queue consumer, only in processes started with WORKERS=true. */
@Injectable()
export class EventIngestWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private ingest: EventIngest | undefined;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.WORKERS) return;
    this.ingest = startEventIngest({ prisma: this.prisma, logger: this.logger, redisUrl: this.config.REDIS_URL, prefix: this.config.REDIS_PREFIX });
  }

  async onModuleDestroy(): Promise<void> {
    await this.ingest?.close();
  }
}
