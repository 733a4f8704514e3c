import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { PrismaClient } from '@smarthost/db';
import { createLogger, type Logger } from '@smarthost/logger';
import { testDatabase, testRedis } from '@smarthost/testkit';
import { type ApiConfig, apiConfigSchema } from '../config/api-config';
import { PRISMA } from '../core/tokens';
import { createApp } from '../create-app';
import { seedPlans } from '../seed/plans';

export interface TestApp {
  app: NestExpressApplication;
  url: string;
  config: ApiConfig;
  prisma: PrismaClient;
  logs: string[];
  close(): Promise<void>;
}

/**
 * The real API on an ephemeral port, over a fresh database cloned from the migrated template and a private Redis
 * key prefix. Everything the app logs is kept in `logs`, so tests can assert that no secret is ever logged.
 */
export async function startTestApp(overrides: Partial<Record<keyof ApiConfig, string>> = {}): Promise<TestApp> {
  const database = await testDatabase();
  const redis = await testRedis();
  const config = apiConfigSchema.parse({
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    API_PORT: '0',
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    REDIS_PREFIX: redis.prefix,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    DKIM_MASTER_KEY: randomBytes(32).toString('hex'),
    WORKERS: 'false',
    // No test asks the machine's resolver (it is beyond loopback): a port nobody answers on fails every lookup at
    // once, unless the test brings its own DNS server.
    DNS_SERVERS: '127.0.0.1:1',
    ...overrides,
  });
  const logs: string[] = [];
  const logger: Logger = createLogger({ name: 'api', level: config.LOG_LEVEL, destination: logSink(logs) });
  const app = await createApp(config, logger);
  // Tenant.planId defaults to "free" with a foreign key: every database needs the plan rows before any tenant.
  await seedPlans(app.get<PrismaClient>(PRISMA));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    config,
    prisma: app.get<PrismaClient>(PRISMA),
    logs,
    async close() {
      await app.close();
      await redis.cleanup();
      await database.drop();
    },
  };
}

function logSink(lines: string[]): NodeJS.WritableStream {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
}
