import { eventDirection, eventId, type RelayEvent } from '@smarthost/queues';
import type { DeliveryJob } from '@smarthost/queues';
import type { ConnectionState } from '../smtp/session-state';
import type { SmtpRefusal } from '../smtp/smtp-refusal';

export type SmtpPhase = 'auth' | 'mail' | 'rcpt' | 'data';

/** What the message log shows of a message, read from its headers once at DATA. */
export interface MessageSummary {
  subject: string | null;
  headerFrom: string | null;
  messageIdHeader: string | null;
}

export function acceptedEvent(job: DeliveryJob, summary: MessageSummary): RelayEvent {
  return {
    eventId: eventId('accepted', job.messageId),
    type: 'accepted',
    tenantId: job.tenantId,
    domainId: job.domainId,
    credentialId: job.credentialId,
    messageId: job.messageId,
    direction: eventDirection(job.direction),
    code: null,
    smtpCode: 250,
    phase: 'data',
    mailFrom: job.mailFrom.slice(0, 320),
    recipients: job.recipients.map((r) => r.address.slice(0, 320)),
    size: job.size,
    clientIp: job.clientIp,
    node: job.relayNode,
    occurredAt: job.receivedAt,
    detail: null,
    attempt: null,
    enhancedCode: '2.0.0',
    remoteMta: null,
    subject: summary.subject,
    headerFrom: summary.headerFrom,
    messageIdHeader: summary.messageIdHeader,
  };
}

export interface RejectionFacts {
  node: string;
  phase: SmtpPhase;
  refusal: SmtpRefusal;
  tenantId: string | null;
  domainId: string | null;
  /** The address the command named (RCPT) or the envelope so far. */
  mailFrom: string | null;
  recipients: string[];
  size: number | null;
}

/** Keyed by node + session + refusal number: unique per refusal, identical if the same emit is retried. */
export function rejectedEvent(state: ConnectionState, facts: RejectionFacts): RelayEvent {
  return {
    eventId: eventId('rejected', facts.node, state.sessionId, state.refusals),
    type: 'rejected',
    tenantId: facts.tenantId,
    domainId: facts.domainId,
    credentialId: state.credentialId,
    messageId: null,
    direction: state.listener === 'inbound' ? 'inbound' : 'outbound',
    code: facts.refusal.refusal,
    smtpCode: facts.refusal.responseCode,
    phase: facts.phase,
    mailFrom: facts.mailFrom === null ? null : facts.mailFrom.slice(0, 320),
    recipients: facts.recipients.map((r) => r.slice(0, 320)),
    size: facts.size,
    clientIp: state.clientIp,
    node: facts.node,
    occurredAt: new Date().toISOString(),
    detail: facts.refusal.message.slice(0, 500),
    attempt: null,
    enhancedCode: /^[245]\.\d{1,3}\.\d{1,3}/.exec(facts.refusal.message)?.[0] ?? null,
    remoteMta: null,
    subject: null,
    headerFrom: null,
    messageIdHeader: null,
  };
}
