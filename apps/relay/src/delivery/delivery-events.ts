import { createQueue, eventId, QUEUE_NAMES, type DeliveryJob, type RelayEventInput } from '@smarthost/queues';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RecipientOutcome } from './recipient-outcome';

/**
 * A delivery event: the shared event with the delivery fields filled in. Not parsed here: every field comes from
 * the job (validated when it was taken) and an outcome that recipient-outcome.ts builds well-formed; the ingest
 * validates every event it reads (libs/queues relayEventSchema).
 */
export type DeliveryEvent = RelayEventInput & {
  type: RecipientOutcome['status'];
  attempt: number;
  enhancedCode: string | null;
  remoteMta: string | null;
};

export interface EventFacts {
  job: DeliveryJob;
  recipient: string;
  attempt: number;
  outcome: RecipientOutcome;
  node: string;
  occurredAt: Date;
}

/** Keyed by message id + recipient + attempt: a replayed attempt re-emits the same ids, which are stored once. */
export function deliveryEvent({ job, recipient, attempt, outcome, node, occurredAt }: EventFacts): DeliveryEvent {
  return {
    eventId: eventId(outcome.status, job.messageId, recipient, attempt),
    type: outcome.status,
    tenantId: job.tenantId,
    domainId: job.domainId,
    credentialId: job.credentialId,
    messageId: job.messageId,
    direction: job.direction,
    code: outcome.code,
    smtpCode: outcome.smtpCode,
    phase: outcome.phase,
    mailFrom: job.mailFrom.slice(0, 320),
    recipients: [recipient.slice(0, 320)],
    size: job.size,
    clientIp: job.clientIp,
    node,
    occurredAt: occurredAt.toISOString(),
    detail: outcome.response.slice(0, 500),
    attempt,
    enhancedCode: outcome.enhancedCode,
    remoteMta: outcome.remoteMta?.slice(0, 255) ?? null,
  };
}

interface Batch {
  events: DeliveryEvent[];
  written: Promise<void>;
}

/**
 * Emits awaited, unlike the relay's fire-and-forget sink: the worker records a recipient as done only after its
 * event is stored, so a crash in between replays the attempt and re-emits the same ids instead of losing one.
 *
 * Events emitted while the event loop works through one round of I/O are written together, one pipeline of adds
 * per round instead of one Redis write per delivery: under load that is dozens of jobs' events per write, and
 * alone a message waits no longer than the rest of the round it finished in.
 */
export class DeliveryEventEmitter {
  private readonly queue: Queue<RelayEventInput>;
  private batch: Batch | undefined;

  constructor(connection: Redis, prefix: string) {
    this.queue = createQueue<RelayEventInput>(QUEUE_NAMES.events, {
      connection,
      prefix,
      defaultJobOptions: { removeOnComplete: true, attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
    });
  }

  emit(events: readonly DeliveryEvent[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    const batch = (this.batch ??= this.startBatch());
    batch.events.push(...events);
    return batch.written;
  }

  close(): Promise<void> {
    return this.queue.close();
  }

  private startBatch(): Batch {
    const events: DeliveryEvent[] = [];
    const written = new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        this.batch = undefined;
        this.queue.addBulk(events.map((event) => ({ name: event.type, data: event, opts: { jobId: event.eventId } }))).then(() => resolve(), reject);
      });
    });
    return { events, written };
  }
}
