import { addJobOn, createQueue, MAX_EVENTS_PER_JOB, newMessageId, QUEUE_NAMES, type EventBatch, type RelayEventInput } from '@smarthost/queues';
import type { Queue, RedisClient } from 'bullmq';
import type { Redis } from 'ioredis';
import { atTurnEnd } from '../net/coalesce-writes';

interface Batch {
  events: RelayEventInput[];
  written: Promise<void>;
  settle(error?: unknown): void;
}

/**
 * Writes events to the events queue, the events of one turn of the event loop as one job (at most
 * MAX_EVENTS_PER_JOB each): a busy relay accepts several messages per turn and a busy worker delivers dozens,
 * and a BullMQ add per event was a fifth of the relay's CPU. The batch is written at the end of the turn
 * (atTurnEnd), into the same system call as the turn's other Redis writes, so a caller that awaits both its
 * own write and its event (MessageStore) still waits one round trip.
 *
 * `write` resolves once the job carrying the events is stored and rejects when that add failed; events are not
 * re-validated here (they are built as typed objects; the ingest validates every one it reads).
 */
export class EventWriter {
  readonly queue: Queue<EventBatch>;
  private client: RedisClient | undefined;
  private open: Batch | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(connection: Redis, prefix: string) {
    this.queue = createQueue<EventBatch>(QUEUE_NAMES.events, {
      connection,
      prefix,
      defaultJobOptions: { removeOnComplete: true, attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
    });
    // The add must be on the wire before the turn ends, so the resolved client is kept (see addJobOn).
    this.queue.backend.client.then(
      (client) => (this.client = client),
      () => undefined,
    );
  }

  write(events: readonly RelayEventInput[]): Promise<void> {
    if (events.length === 1) return this.batchFor(events[0] as RelayEventInput).written; // the per-message case
    const batches = new Set<Batch>();
    for (const event of events) batches.add(this.batchFor(event));
    return Promise.all([...batches].map((batch) => batch.written)).then(() => undefined);
  }

  private batchFor(event: RelayEventInput): Batch {
    if (this.open === undefined || this.open.events.length >= MAX_EVENTS_PER_JOB) this.open = this.startBatch();
    this.open.events.push(event);
    return this.open;
  }

  /** Waits for the batches already started to be written, then closes the queue. */
  async close(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.allSettled([...this.inFlight]);
    await this.queue.close();
  }

  private startBatch(): Batch {
    let settle: Batch['settle'] = () => undefined;
    const written = new Promise<void>((resolve, reject) => {
      settle = (error) => (error === undefined ? resolve() : reject(error));
    });
    const batch: Batch = { events: [], written, settle };
    this.inFlight.add(written);
    written.then(
      () => this.inFlight.delete(written),
      () => this.inFlight.delete(written),
    );
    atTurnEnd(() => this.flush(batch));
    return batch;
  }

  private flush(batch: Batch): void {
    if (this.open === batch) this.open = undefined;
    const job = { queue: this.queue, name: 'events', data: { events: batch.events }, opts: { jobId: `events-${newMessageId()}` } };
    try {
      const added = this.client ? addJobOn(this.client, job) : this.queue.add(job.name, job.data, job.opts);
      added.then(
        () => batch.settle(),
        (error: unknown) => batch.settle(error ?? new Error('event batch not stored')),
      );
    } catch (error) {
      batch.settle(error ?? new Error('event batch not stored'));
    }
  }
}
