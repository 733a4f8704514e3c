import type { Logger } from '@smarthost/logger';
import type { RelayEvent } from '@smarthost/queues';
import type { EventWriter } from './event-writer';

/**
 * Accepted and rejected submissions as events for the API (through EventWriter: one job per turn of the event
 * loop). Emitting never delays or changes an SMTP reply: a refusal stands whether or not its event was stored,
 * and an accepted message is already durable. Failures are logged with the event id; the deterministic event id
 * makes a later re-emit harmless.
 */
export class EventSink {
  constructor(
    private readonly writer: EventWriter,
    private readonly logger: Logger,
  ) {
    writer.queue.on('error', (error) => logger.debug({ err: error }, 'events queue connection error'));
  }

  /** Fire and forget. */
  emit(event: RelayEvent): void {
    void this.record(event);
  }

  /** Resolves once the event is stored, or it could not be (logged); never rejects. */
  record(event: RelayEvent): Promise<void> {
    return this.writer.write([event]).catch((error: unknown) => this.logger.warn({ err: error, eventId: event.eventId }, 'event not stored'));
  }

  /** Resolves once the events are stored; rejects when they could not be (for a reply that promises they are). */
  store(events: readonly RelayEvent[]): Promise<void> {
    return this.writer.write(events);
  }

  close(): Promise<void> {
    return this.writer.close();
  }
}
