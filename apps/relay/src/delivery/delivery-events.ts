import { eventDirection, eventId, type DeliveryJob, type RelayEventInput } from '@smarthost/queues';
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
    direction: eventDirection(job.direction),
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
