// First, for its side effect: the thread pool is sized before anything queues work on it.
import './runtime/thread-pool';
import { ConfigError } from '@smarthost/config';
import { createLogger, type Logger } from '@smarthost/logger';
import { assertDurableRedis, createRedisConnection } from '@smarthost/queues';
import { loadRelayConfig, type RelayConfig } from './config/relay-config';
import { startDeliveryWorker } from './delivery/start-delivery-worker';
import { startRelay } from './start-relay';

type Stoppable = { close(): Promise<void> };

/**
 * One image, two roles: 'relay' runs the SMTP listeners, 'worker' the delivery workers (src/delivery/),
 * 'all' both.
 */
async function main(): Promise<void> {
  let config: RelayConfig;
  try {
    config = loadRelayConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const logger = createLogger({ name: 'relay', level: config.LOG_LEVEL });
  if (config.NODE_ENV === 'production' || config.REDIS_REQUIRE_DURABLE) await requireDurableRedis(config);
  const parts: Stoppable[] = [];
  if (config.RELAY_ROLE === 'relay' || config.RELAY_ROLE === 'all') parts.push(await startRelay(config, logger));
  if (config.RELAY_ROLE === 'worker' || config.RELAY_ROLE === 'all') parts.push(...(await startWorkerRole(config, logger)));
  onSignals(parts, logger);
}

/** Queued mail lives in Redis: a production node does not start on a Redis that could lose or evict it. */
async function requireDurableRedis(config: RelayConfig): Promise<void> {
  const redis = createRedisConnection({ url: config.REDIS_URL, prefix: config.REDIS_PREFIX }, 'worker');
  try {
    await assertDurableRedis(redis);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  } finally {
    redis.disconnect();
  }
}

async function startWorkerRole(config: RelayConfig, logger: Logger): Promise<Stoppable[]> {
  return [await startDeliveryWorker(config, logger)];
}

function onSignals(parts: Stoppable[], logger: Logger): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    Promise.all(parts.map((part) => part.close())).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`relay failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
