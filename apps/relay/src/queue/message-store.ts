import { createQueue, deliveryJobId, parseDeliveryJob, QUEUE_NAMES, type DeliveryJob } from '@smarthost/queues';
import type { Logger } from '@smarthost/logger';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

const ENQUEUE_TIMEOUT_MS = 5000;

/**
 * Durable hand-off to the delivery workers. `enqueue` resolves only once Redis has the job, and that is the
 * only moment the relay may answer 250. The job id is the message id, so a retried add never duplicates.
 */
export class MessageStore {
  readonly queue: Queue<DeliveryJob>;

  constructor(connection: Redis, prefix: string, logger: Logger) {
    this.queue = createQueue<DeliveryJob>(QUEUE_NAMES.delivery, { connection, prefix });
    // Without a listener BullMQ prints connection errors to stderr; the failed add itself is what answers 451.
    this.queue.on('error', (error) => logger.debug({ err: error }, 'delivery queue connection error'));
  }

  async enqueue(job: DeliveryJob): Promise<void> {
    const payload = parseDeliveryJob(job);
    let timer: NodeJS.Timeout | undefined;
    // A Redis that accepts the connection but never answers must not hold the SMTP client past its timeout.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`enqueue timed out after ${ENQUEUE_TIMEOUT_MS} ms`)), ENQUEUE_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.queue.add('deliver', payload, { jobId: deliveryJobId(payload) }), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Jobs not yet delivered (waiting, delayed, active), for the heartbeat. */
  depth(): Promise<number> {
    return this.queue.getJobCountByTypes('waiting', 'delayed', 'active', 'prioritized');
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
