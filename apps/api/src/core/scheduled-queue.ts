import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Logger } from '@smarthost/logger';
import { type DefaultJobOptions, type Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ApiConfig } from '../config/api-config';

export interface ScheduledQueueOptions<Data> {
  connection: Redis;
  prefix: string;
  queue: string;
  /** One id for the whole deployment: every API process upserts the same scheduler, so there is never a second. */
  schedulerId: string;
  /** Name of the job the scheduler adds every `everyMs`. */
  jobName: string;
  everyMs: number;
  jobOptions: DefaultJobOptions;
  concurrency: number;
  process: (job: Job<Data>, queue: Queue<Data>) => Promise<unknown>;
  logger: Logger;
  /** What a failed job is called in the log line, e.g. "domain re-check". */
  description: string;
}

export interface ScheduledQueue<Data> {
  queue: Queue<Data>;
  close(): Promise<void>;
}

/**
 * The API's periodic work (domain re-checks, blocklist sweeps, retention): a BullMQ queue with one job scheduler and
 * a worker on it, failures logged. Started by the feature's worker class in processes with WORKERS=true.
 */
export async function startScheduledQueue<Data>(options: ScheduledQueueOptions<Data>): Promise<ScheduledQueue<Data>> {
  const connection = { connection: options.connection, prefix: options.prefix };
  const queue = new Queue<Data>(options.queue, { ...connection, defaultJobOptions: options.jobOptions });
  // As an untyped queue: the job name is ours to choose, which the generic name type cannot see here.
  await (queue as Queue).upsertJobScheduler(options.schedulerId, { every: options.everyMs }, { name: options.jobName, data: {} });
  const worker = new Worker<Data>(options.queue, (job) => options.process(job, queue), { ...connection, concurrency: options.concurrency });
  worker.on('failed', (job, error) => options.logger.warn({ err: error, jobId: job?.id, queue: options.queue }, `${options.description} failed`));
  return {
    queue,
    close: async () => {
      await worker.close();
      await queue.close();
    },
  };
}

/** What a feature says about its scheduled work; the process-wide parts (Redis, prefix, logger) come from the base. */
export type Schedule<Data> = Omit<ScheduledQueueOptions<Data>, 'connection' | 'prefix' | 'logger'>;

/**
 * A feature's worker class: its scheduled queue started at bootstrap in processes with WORKERS=true and closed on
 * shutdown. The subclass injects what its jobs need and describes them in `schedule()`.
 */
export abstract class ScheduledWorker<Data = unknown> implements OnApplicationBootstrap, OnModuleDestroy {
  private scheduled: ScheduledQueue<Data> | undefined;

  protected constructor(
    protected readonly config: ApiConfig,
    private readonly redis: Redis,
    protected readonly logger: Logger,
  ) {}

  protected abstract schedule(): Schedule<Data>;

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.WORKERS) return;
    this.scheduled = await startScheduledQueue<Data>({ connection: this.redis, prefix: this.config.REDIS_PREFIX, logger: this.logger, ...this.schedule() });
  }

  async onModuleDestroy(): Promise<void> {
    await this.scheduled?.close();
  }
}
