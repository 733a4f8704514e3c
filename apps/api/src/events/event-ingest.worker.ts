import type { PrismaClient } from '@smarthost/db';
import type { Logger } from '@smarthost/logger';
import { createRedisConnection, parseEventJob, QUEUE_NAMES, type RelayEvent } from '@smarthost/queues';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { Batcher } from './batcher';
import { ingestEvents } from './ingest-events';

export interface EventIngestOptions {
  prisma: PrismaClient;
  logger: Logger;
  redisUrl: string;
  prefix: string;
  /** Events per transaction (and the worker's concurrency). */
  batchSize?: number;
  /** Longest an event waits for its batch to fill. */
  maxWaitMs?: number;
}

export interface EventIngest {
  worker: Worker<unknown>;
  close(): Promise<void>;
}

// Measured trade-off: hundreds of rows per transaction amortise the commit; 200 ms keeps the dashboard near live.
const DEFAULT_BATCH_SIZE = 500;
const DEFAULT_MAX_WAIT_MS = 200;

/**
 * Consumes the events queue in batches. BullMQ OSS has no batch consumer (that is a Pro feature), so this is a
 * plain Worker whose concurrency is the batch size: each job's processor hands its events (a job carries the
 * events one producer emitted in one turn, see libs/queues MAX_EVENTS_PER_JOB) to a Batcher and waits until the
 * batches holding them have committed. A job therefore completes only once its event is in Postgres, a
 * failed batch fails (and retries, per the producer's job options) exactly its own jobs, and BullMQ keeps doing
 * what it is good at — locks, stalled-job recovery, retries — with no hand-rolled moveToCompleted bookkeeping.
 * At most one batch is in flight per worker: its jobs hold all concurrency slots until it commits.
 */
export function startEventIngest(options: EventIngestOptions): EventIngest {
  const { prisma, logger } = options;
  const batcher = new Batcher<RelayEvent>(
    async (events) => {
      await ingestEvents({ prisma, logger }, events);
    },
    { maxSize: options.batchSize ?? DEFAULT_BATCH_SIZE, maxWaitMs: options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS },
    (error, size) => logger.warn({ err: error, size }, 'event batch failed; retrying its events one by one'),
  );
  const connection = createRedisConnection({ url: options.redisUrl, prefix: options.prefix }, 'worker');
  const worker = new Worker<unknown>(QUEUE_NAMES.events, (job) => Promise.all(validEvents(job, logger).map((event) => batcher.add(event))).then(() => undefined), {
    connection,
    prefix: options.prefix,
    concurrency: options.batchSize ?? DEFAULT_BATCH_SIZE,
    removeOnComplete: { count: 0 },
    removeOnFail: { count: 10_000 },
  });
  worker.on('failed', (job, error) => logger.warn({ err: error, jobId: job?.id, queue: QUEUE_NAMES.events }, 'event not ingested'));
  worker.on('error', (error) => logger.error({ err: error, queue: QUEUE_NAMES.events }, 'event worker error'));
  return {
    worker,
    async close() {
      await worker.close();
      await batcher.drain();
      await connection.quit();
    },
  };
}

/**
 * The queue is a trust boundary: a payload that does not parse will never parse, so it must not be retried. One
 * bad event in a batch is logged and left out; the rest of the batch is stored.
 */
function validEvents(job: Job, logger: Logger): RelayEvent[] {
  let parsed;
  try {
    parsed = parseEventJob(job.data);
  } catch (error) {
    throw new UnrecoverableError(`invalid event payload: ${error instanceof Error ? error.message.slice(0, 300) : 'unknown'}`);
  }
  if (parsed.invalid.length > 0) logger.warn({ jobId: job.id, invalid: parsed.invalid.slice(0, 10).map((text) => text.slice(0, 300)) }, 'invalid events left out');
  if (parsed.events.length === 0) throw new UnrecoverableError('no valid event in the job');
  return parsed.events;
}
