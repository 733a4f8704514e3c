import type { Logger } from '@smarthost/logger';
import { createQueue, QUEUE_NAMES, type RelayEvent } from '@smarthost/queues';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * Accepted and rejected submissions as events for the API. Emitting never delays or changes an SMTP reply:
 * a refusal stands whether or not its event was stored, and an accepted message is already durable.
 * Failures are logged with the event id; the deterministic job id makes a later re-emit harmless.
 * An accepted message's event does not come through here: MessageStore stores it with the message.
 * Events are built as typed objects and not re-validated here; the API's ingest validates what it consumes.
 */
export class EventSink {
  readonly queue: Queue<RelayEvent>;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    connection: Redis,
    prefix: string,
    private readonly logger: Logger,
  ) {
    this.queue = createQueue<RelayEvent>(QUEUE_NAMES.events, {
      connection,
      prefix,
      defaultJobOptions: { removeOnComplete: true, attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
    });
    this.queue.on('error', (error) => logger.debug({ err: error }, 'events queue connection error'));
  }

  emit(event: RelayEvent): void {
    const task = this.queue
      .add(event.type, event, { jobId: event.eventId })
      .then(() => undefined)
      .catch((error: unknown) => this.logger.warn({ err: error, eventId: event.eventId }, 'event not stored'))
      .finally(() => this.pending.delete(task));
    this.pending.add(task);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.pending]);
    await this.queue.close();
  }
}
