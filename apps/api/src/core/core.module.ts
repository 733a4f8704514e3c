import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { createPrismaClient, type PrismaClient } from '@smarthost/db';
import type { Logger } from '@smarthost/logger';
import { Redis } from 'ioredis';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { LOGGER, PRISMA, REDIS } from './tokens';

/**
 * Process-wide resources, built from the validated config. The config and logger are handed in by whoever creates
 * the app (main.ts, or a test with its own database and Redis prefix).
 */
@Global()
@Module({})
export class CoreModule implements OnApplicationShutdown {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  static forRoot(config: ApiConfig, logger: Logger) {
    return {
      module: CoreModule,
      providers: [
        { provide: API_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: PRISMA, useFactory: () => createPrismaClient(config.DATABASE_URL) },
        {
          provide: REDIS,
          // maxRetriesPerRequest null: BullMQ needs it, and a command waits for Redis instead of failing mid-flight.
          useFactory: () => new Redis(config.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: false }),
        },
      ],
      exports: [API_CONFIG, LOGGER, PRISMA, REDIS],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.prisma.$disconnect(), this.redis.quit()]);
  }
}
