import { addJobOn, createQueue, deliveryJobId, QUEUE_NAMES, type DeliveryJob, type RelayEvent } from '@smarthost/queues';
import type { Logger } from '@smarthost/logger';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { EventSink } from '../events/event-sink';

/**
 * Durable hand-off to the delivery workers. `enqueue` resolves only once Redis has the job, and that is the
 * only moment the relay may answer 250. The job id is the message id, so a retried add never duplicates.
 *
 * The message's `accepted` event goes through the EventSink: it is written at the end of this turn of the event
 * loop, in the same system call as the delivery job (see EventWriter), and the 250 waits for both replies. So a
 * message answered 250 has had its event stored too (unless that add alone failed, which is logged and never
 * changes the reply, since the message is stored). Emitting it from the worker instead would tie the event to
 * when delivery starts, and lose it for a message that is delayed or dead-lettered before that.
 *
 * Payloads are not re-validated here: the relay builds them as typed objects, and they are validated where they
 * are consumed (the delivery worker dead-letters an invalid job, the API's ingest validates every event).
 */
export class MessageStore {
  readonly queue: Queue<DeliveryJob>;

  constructor(
    connection: Redis,
    prefix: string,
    logger: Logger,
    private readonly events: EventSink,
  ) {
    this.queue = createQueue<DeliveryJob>(QUEUE_NAMES.delivery, { connection, prefix });
    // Without a listener BullMQ prints connection errors to stderr; the failed add itself is what answers 451.
    this.queue.on('error', (error) => logger.debug({ err: error }, 'delivery queue connection error'));
  }

  /** Rejects when Redis refuses or does not answer within the connection's command timeout (startRelay). */
  async enqueue(job: DeliveryJob, accepted: RelayEvent): Promise<void> {
    const recorded = this.events.record(accepted);
    await this.add(job);
    await recorded;
  }

  /** Jobs not yet delivered (waiting, delayed, active), for the heartbeat. */
  depth(): Promise<number> {
    return this.queue.getJobCountByTypes('waiting', 'delayed', 'active', 'prioritized');
  }

  close(): Promise<void> {
    return this.queue.close();
  }

  private async add(job: DeliveryJob): Promise<void> {
    await addJobOn(await this.queue.backend.client, { queue: this.queue, name: 'deliver', data: job, opts: { jobId: deliveryJobId(job) } });
  }
}
