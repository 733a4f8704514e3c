import { createQueue, eventId, QUEUE_NAMES, relayEventSchema, type DeliveryJob, type RelayEvent } from '@smarthost/queues';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { RecipientOutcome } from './recipient-outcome';

/** A delivery event: the shared event with the delivery fields required rather than optional. */
export const deliveryEventSchema = relayEventSchema.extend({
  type: z.enum(['delivered', 'deferred', 'bounced']),
  attempt: z.number().int().positive(),
  enhancedCode: z.string().regex(/^[245]\.\d{1,3}\.\d{1,3}$/).nullable(),
  remoteMta: z.string().max(255).nullable(),
});

export type DeliveryEvent = z.infer<typeof deliveryEventSchema>;

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
  return deliveryEventSchema.parse({
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
  });
}

/**
 * Emits awaited, unlike the relay's fire-and-forget sink: the worker records a recipient as done only after its
 * event is stored, so a crash in between replays the attempt and re-emits the same ids instead of losing one.
 */
export class DeliveryEventEmitter {
  private readonly queue: Queue<RelayEvent>;

  constructor(connection: Redis, prefix: string) {
    this.queue = createQueue<RelayEvent>(QUEUE_NAMES.events, {
      connection,
      prefix,
      defaultJobOptions: { removeOnComplete: true, attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
    });
  }

  async emit(events: readonly DeliveryEvent[]): Promise<void> {
    await Promise.all(events.map((event) => this.queue.add(event.type, event, { jobId: event.eventId })));
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
