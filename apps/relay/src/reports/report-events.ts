import { eventId, type RelayEvent } from '@smarthost/queues';
import type { Complaint } from './parse-arf';
import type { DsnFailure } from './parse-dsn';

export interface ReportFacts {
  tenantId: string;
  domainId: string;
  /** The sent message the report is about (from its return path). */
  messageId: string;
  node: string;
  clientIp: string;
  size: number;
}

/**
 * One `bounced` event per recipient a bounce report (DSN) says failed permanently. The mailbox-does-not-exist
 * statuses (5.1.x) are hard bounces, which the API suppresses, as it does for a 5.1.x refusal during delivery.
 */
export function bounceEvents(failures: readonly DsnFailure[], facts: ReportFacts): RelayEvent[] {
  const occurredAt = new Date().toISOString();
  return failures.map((failure) => ({
    ...reportEvent(facts, occurredAt),
    eventId: eventId('bounced', facts.messageId, failure.recipient, 'report'),
    type: 'bounced',
    code: failure.status.startsWith('5.1.') ? 'hard_bounce' : 'permanent',
    smtpCode: failure.smtpCode !== null && failure.smtpCode >= 500 && failure.smtpCode <= 599 ? failure.smtpCode : null,
    recipients: [failure.recipient.slice(0, 320)],
    detail: failure.diagnostic?.slice(0, 500) ?? null,
    enhancedCode: /^5\.\d{1,3}\.\d{1,3}$/.test(failure.status) ? failure.status : null,
    remoteMta: failure.remoteMta?.slice(0, 255) ?? null,
  }));
}

/**
 * The event for the recipient who marked the message as spam: `complained` when a trusted feedback loop signed the
 * report (the API suppresses the address and counts it), `complaint_unverified` otherwise (kept, counted nowhere).
 */
export function complaintEvent(complaint: Complaint & { recipient: string }, facts: ReportFacts, signature: { verifiedBy: string } | { unverified: string }): RelayEvent {
  const type = 'verifiedBy' in signature ? 'complained' : 'complaint_unverified';
  const arrived = complaint.arrivalDate === null ? [] : [`arrived ${complaint.arrivalDate}`];
  const origin = 'verifiedBy' in signature ? `signed by ${signature.verifiedBy}` : `unverified: ${signature.unverified}`;
  return {
    ...reportEvent(facts, new Date().toISOString()),
    eventId: eventId(type, facts.messageId, complaint.recipient, 'report'),
    type,
    code: complaint.feedbackType.slice(0, 64),
    recipients: [complaint.recipient.slice(0, 320)],
    detail: [...arrived, origin].join('; ').slice(0, 500),
  };
}

/** What every report event says: phase `report` tells the ingest it came from the internet (see known-reports). */
function reportEvent(facts: ReportFacts, occurredAt: string): Omit<RelayEvent, 'eventId' | 'type' | 'code' | 'recipients' | 'detail'> {
  return {
    tenantId: facts.tenantId,
    domainId: facts.domainId,
    credentialId: null,
    messageId: facts.messageId,
    direction: 'outbound',
    smtpCode: null,
    phase: 'report',
    mailFrom: null,
    size: facts.size,
    clientIp: facts.clientIp,
    node: facts.node,
    occurredAt,
    attempt: null,
    enhancedCode: null,
    remoteMta: null,
    subject: null,
    headerFrom: null,
    messageIdHeader: null,
  };
}
