import { createResolver } from '@smarthost/dns';
import type { Logger } from '@smarthost/logger';
import { createQueue, createRedisConnection, QUEUE_NAMES } from '@smarthost/queues';
import { Worker, type Queue } from 'bullmq';
import { returnPathKeyring } from '../config/reports-config';
import { EventWriter } from '../events/event-writer';
import { coalesceRedisWrites } from '../net/coalesce-writes';
import { bounceNoticeQueue } from './bounce-notice';
import { DeadLetterQueue } from './dead-letter-queue';
import { srsKeyOf, type DeliveryWorkerConfig } from './delivery-config';
import { cachingResolver } from './dns-cache';
import { HttpDkimKeyProvider, type DkimKeyProvider } from './dkim-keys';
import { InboundMeter, inboundStaleAfterMs } from '../limits/inbound-meter';
import { ownAddresses } from './own-addresses';
import { createDeliveryProcessor, releaseInbound } from './process-delivery';
import { SmtpPool } from './smtp-pool';
import { trustedCas } from './trusted-cas';

export interface RunningDeliveryWorker {
  /** Graceful: takes no new jobs, waits for deliveries in flight, then closes sessions and Redis. */
  close(): Promise<void>;
}

export interface DeliveryWorkerOverrides {
  /** Another key source (the HTTP provider against API_URL otherwise). */
  dkim?: DkimKeyProvider;
}

// Postfix keeps idle sessions 2 s; a little longer here since one destination's jobs tend to come in bursts.
const IDLE_SESSION_MS = 5_000;
// A session that delivered a message within this long is reused without an RSET round trip first.
const VERIFY_QUIET_SESSION_MS = 2_000;
const DNS_TIMEOUT_MS = 5_000;
const DNS_TRIES = 2;

export async function startDeliveryWorker(config: DeliveryWorkerConfig, logger: Logger, overrides: DeliveryWorkerOverrides = {}): Promise<RunningDeliveryWorker> {
  const log = logger.child({ node: config.RELAY_HOSTNAME, component: 'delivery' });
  const connectionConfig = { url: config.REDIS_URL, prefix: config.REDIS_PREFIX };
  const redis = createRedisConnection(connectionConfig, 'worker');
  coalesceRedisWrites(redis);
  redis.on('error', (error) => log.warn({ err: error }, 'redis connection error'));
  const events = new EventWriter(redis, config.REDIS_PREFIX);
  const deadLetters = new DeadLetterQueue(redis, config.REDIS_PREFIX);
  const deliveryQueue = createQueue<unknown>(QUEUE_NAMES.delivery, { connection: redis, prefix: config.REDIS_PREFIX });
  const pool = new SmtpPool({
    heloName: config.DELIVERY_HELO_NAME || config.RELAY_HOSTNAME,
    connectTimeoutMs: config.DELIVERY_CONNECT_TIMEOUT_SECONDS * 1000,
    socketTimeoutMs: config.DELIVERY_SOCKET_TIMEOUT_SECONDS * 1000,
    trustedCas: await trustedCas(config.DELIVERY_TLS_CA_FILE),
    perTargetLimit: config.DELIVERY_PER_DESTINATION_CONCURRENCY,
    idleMs: IDLE_SESSION_MS,
    verifyAfterMs: VERIFY_QUIET_SESSION_MS,
  });
  const maxAgeMs = config.DELIVERY_MAX_AGE_SECONDS * 1000;
  const resolver = cachingResolver(createResolver({ ...(config.DNS_SERVERS.length > 0 ? { servers: config.DNS_SERVERS } : {}), timeoutMs: DNS_TIMEOUT_MS, tries: DNS_TRIES }), {
    ttlMs: config.DELIVERY_DNS_CACHE_SECONDS * 1000,
  });
  const inboundBacklog = new InboundMeter(redis, config.REDIS_PREFIX, inboundStaleAfterMs(config.INBOUND_MAX_AGE_SECONDS));
  const processor = createDeliveryProcessor({
    resolver,
    pool,
    mxPort: config.DELIVERY_PORT,
    allowLoopbackTargets: config.NODE_ENV === 'test',
    ownAddresses: ownAddresses(config.RELAY_PUBLIC_IPS, config.RELAY_HOSTNAME, resolver),
    inboundBacklog,
    relayhost: config.DELIVERY_RELAYHOST,
    returnPathKeys: returnPathKeyring(config),
    dkim: overrides.dkim ?? new HttpDkimKeyProvider({ apiUrl: config.API_URL, nodeToken: config.RELAY_NODE_TOKEN, ttlMs: config.DKIM_KEY_CACHE_SECONDS * 1000 }),
    events,
    deadLetters,
    notices: bounceNoticeQueue(deliveryQueue, maxAgeMs),
    srs: srsKeyOf(config),
    node: config.RELAY_HOSTNAME,
    maxAgeMs,
    inboundMaxAgeMs: config.INBOUND_MAX_AGE_SECONDS * 1000,
    backoff: { baseMs: config.DELIVERY_BACKOFF_BASE_SECONDS * 1000, maxMs: config.DELIVERY_BACKOFF_MAX_SECONDS * 1000 },
    poisonAttempts: config.DELIVERY_POISON_ATTEMPTS,
    logger: log,
  });
  const lockMs = config.DELIVERY_LOCK_SECONDS * 1000;
  const worker = new Worker<unknown>(QUEUE_NAMES.delivery, processor, {
    connection: redis,
    prefix: config.REDIS_PREFIX,
    concurrency: config.DELIVERY_CONCURRENCY,
    lockDuration: lockMs,
    stalledInterval: Math.max(1000, Math.floor(lockMs / 2)),
    // A worker killed mid-delivery leaves a stalled job that another worker takes over (at-least-once); one
    // that kills every worker it reaches stalls again and again and ends failed, then dead-lettered below.
    maxStalledCount: config.DELIVERY_POISON_ATTEMPTS,
    removeOnComplete: { count: 0 },
  });
  worker.on('error', (error) => log.warn({ err: error }, 'delivery worker error'));
  const sweeper = new FailedJobSweeper(deliveryQueue, deadLetters, inboundBacklog, log);
  worker.on('failed', () => sweeper.sweepSoon());
  const timer = setInterval(() => sweeper.sweepSoon(), lockMs);
  timer.unref();
  sweeper.sweepSoon();
  log.info({ concurrency: config.DELIVERY_CONCURRENCY, relayhost: config.DELIVERY_RELAYHOST }, 'delivery worker started');

  let closing: Promise<void> | undefined;
  const shutdown = async () => {
    clearInterval(timer);
    await worker.close();
    await sweeper.idle();
    pool.close();
    await Promise.all([events.close(), deadLetters.close(), deliveryQueue.close()]);
    await redis.quit().catch(() => redis.disconnect());
    log.info('delivery worker stopped');
  };
  return { close: () => (closing ??= shutdown()) };
}

/**
 * Jobs that reached BullMQ's failed set without our processor deciding (stalled too often, or an error that
 * escaped it) are dead-lettered with BullMQ's reason, so nothing sits in `failed` unseen.
 */
class FailedJobSweeper {
  private running: Promise<void> = Promise.resolve();
  private queued = false;

  constructor(
    private readonly queue: Queue<unknown>,
    private readonly deadLetters: DeadLetterQueue,
    private readonly inboundBacklog: InboundMeter,
    private readonly log: Logger,
  ) {}

  sweepSoon(): void {
    if (this.queued) return;
    this.queued = true;
    this.running = this.running.then(async () => {
      this.queued = false;
      await this.sweep().catch((error: unknown) => this.log.warn({ err: error }, 'failed-job sweep failed'));
    });
  }

  idle(): Promise<void> {
    return this.running;
  }

  private async sweep(): Promise<void> {
    for (const job of await this.queue.getFailed(0, 99)) {
      const reason = `failed in the delivery queue: ${job.failedReason || 'no reason recorded'}`;
      await this.deadLetters.add({ sourceQueue: QUEUE_NAMES.delivery, sourceJobId: String(job.id), reason, attempts: job.attemptsMade, payload: job.data });
      await releaseInbound({ inboundBacklog: this.inboundBacklog }, job.data);
      await job.remove();
      this.log.error({ jobId: job.id, reason }, 'delivery job dead-lettered');
    }
  }
}
