import 'reflect-metadata';
import { ConfigError } from '@smarthost/config';
import { createPrismaClient } from '@smarthost/db';
import { createLogger } from '@smarthost/logger';
import { assertDurableRedis } from '@smarthost/queues';
import { Redis } from 'ioredis';
import { loadApiConfig } from './config/api-config';
import { createApp } from './create-app';
import { dkimKeyring } from './dkim/dkim-crypto';
import { assertKeyringOpensStoredKeys } from './dkim/keyring-check';

async function main(): Promise<void> {
  let config;
  try {
    config = loadApiConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`smarthost-api: ${error.message}\n`);
    process.exit(1);
  }
  const logger = createLogger({ name: 'api', level: config.LOG_LEVEL });
  if (config.NODE_ENV === 'production' || config.REDIS_REQUIRE_DURABLE) {
    // The API enqueues (domain checks, retention) and ingests events: the same durability promise applies.
    const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
    try {
      await assertDurableRedis(redis);
    } catch (error) {
      process.stderr.write(`smarthost-api: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    } finally {
      redis.disconnect();
    }
  }
  // Before the app (and its background workers) start: a master key that cannot open the stored DKIM keys would
  // only show when the first message is signed.
  const prisma = createPrismaClient(config.DATABASE_URL, { poolSize: 1, applicationName: 'smarthost-api-start' });
  try {
    await assertKeyringOpensStoredKeys(prisma, dkimKeyring(config));
  } catch (error) {
    process.stderr.write(`smarthost-api: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  } finally {
    await prisma.$disconnect();
  }
  const app = await createApp(config, logger);
  await app.listen(config.API_PORT, config.API_HOST);
  logger.info({ url: `http://${config.API_HOST}:${config.API_PORT}` }, 'api listening');
}

void main();
