import { eventId, type RelayEvent } from '@smarthost/queues';
import type { DsnFailure } from './parse-dsn';

export interface ReportFacts {
  tenantId: string;
  domainId: string;
  /** The sent message the report is about (from the return path it came to). */
  messageId: string;
  node: string;
  clientIp: string;
  size: number;
}

/**
 * One `bounced` event per recipient a report says failed permanently. The mailbox-does-not-exist statuses (5.1.x)
 * are hard bounces, which the API suppresses, as it does for a 5.1.x refusal during delivery. Phase `report` tells the
 * ingest that the event came from the internet, so it keeps it only for a real recipient of that message.
 */
export function reportEvents(failures: readonly DsnFailure[], facts: ReportFacts): RelayEvent[] {
  const occurredAt = new Date().toISOString();
  return failures.map((failure) => ({
    eventId: eventId('bounced', facts.messageId, failure.recipient, 'report'),
    type: 'bounced',
    tenantId: facts.tenantId,
    domainId: facts.domainId,
    credentialId: null,
    messageId: facts.messageId,
    direction: 'outbound',
    code: failure.status.startsWith('5.1.') ? 'hard_bounce' : 'permanent',
    smtpCode: failure.smtpCode !== null && failure.smtpCode >= 500 && failure.smtpCode <= 599 ? failure.smtpCode : null,
    phase: 'report',
    mailFrom: null,
    recipients: [failure.recipient.slice(0, 320)],
    size: facts.size,
    clientIp: facts.clientIp,
    node: facts.node,
    occurredAt,
    detail: failure.diagnostic?.slice(0, 500) ?? null,
    attempt: null,
    enhancedCode: /^5\.\d{1,3}\.\d{1,3}$/.test(failure.status) ? failure.status : null,
    remoteMta: failure.remoteMta?.slice(0, 255) ?? null,
    subject: null,
    headerFrom: null,
    messageIdHeader: null,
  }));
}
