import { addJobsTogether, createQueue, deliveryJobId, QUEUE_NAMES, type DeliveryJob, type RelayEvent } from '@smarthost/queues';
import type { Logger } from '@smarthost/logger';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { EventSink } from '../events/event-sink';

const ENQUEUE_TIMEOUT_MS = 5000;

/**
 * Durable hand-off to the delivery workers. `enqueue` resolves only once Redis has the job, and that is the
 * only moment the relay may answer 250. The job id is the message id, so a retried add never duplicates.
 *
 * The message's `accepted` event is written in the same round trip (addJobsTogether: both add scripts in one
 * tick on the one connection, the delivery job first), and the 250 waits for both replies. That is one round trip
 * per message instead of two, and stronger than the fire-and-forget emit after the 250 it replaces: a message
 * answered 250 has had its event stored too (unless that add alone failed, which is logged and, as before, never
 * changes the reply, since the message is stored). Emitting it from the worker instead would tie the event to when
 * delivery starts, and lose it for a message that is delayed or dead-lettered before that.
 *
 * Payloads are not re-validated here: the relay builds them as typed objects, and they are validated where they
 * are consumed (the delivery worker dead-letters an invalid job, the API's ingest validates every event).
 */
export class MessageStore {
  readonly queue: Queue<DeliveryJob>;

  constructor(
    connection: Redis,
    prefix: string,
    private readonly logger: Logger,
    private readonly events: EventSink,
  ) {
    this.queue = createQueue<DeliveryJob>(QUEUE_NAMES.delivery, { connection, prefix });
    // Without a listener BullMQ prints connection errors to stderr; the failed add itself is what answers 451.
    this.queue.on('error', (error) => logger.debug({ err: error }, 'delivery queue connection error'));
  }

  async enqueue(job: DeliveryJob, accepted: RelayEvent): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    // A Redis that accepts the connection but never answers must not hold the SMTP client past its timeout.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`enqueue timed out after ${ENQUEUE_TIMEOUT_MS} ms`)), ENQUEUE_TIMEOUT_MS);
    });
    let results;
    try {
      results = await Promise.race([
        addJobsTogether([
          { queue: this.queue, name: 'deliver', data: job, opts: { jobId: deliveryJobId(job) } },
          { queue: this.events.queue, name: accepted.type, data: accepted, opts: { jobId: accepted.eventId } },
        ]),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
    const [stored, event] = results;
    if (stored === undefined || !stored.ok) throw stored?.error ?? new Error('delivery job not stored');
    if (event !== undefined && !event.ok) this.logger.warn({ err: event.error, eventId: accepted.eventId }, 'event not stored');
  }

  /** Jobs not yet delivered (waiting, delayed, active), for the heartbeat. */
  depth(): Promise<number> {
    return this.queue.getJobCountByTypes('waiting', 'delayed', 'active', 'prioritized');
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
