import { deliveryJobId, derivedMessageId, messageBytes, parseDeliveryJob, type DeliveryJob } from '@smarthost/queues';
import type { Queue } from 'bullmq';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { RecipientOutcome } from './recipient-outcome';

/**
 * Delivery status notifications (RFC 3464 inside RFC 6522 multipart/report) to the envelope sender of an outbound
 * message whose recipients finally bounced, for tenants that ask for them.
 *
 * A notice is an ordinary outbound delivery job of the same tenant, domain and credential, with the null reverse
 * path `<>`. It is never DKIM-signed with the tenant's key (see process-delivery's prepareMessage): its From is
 * MAILER-DAEMON at the relay's host name, which a tenant-domain signature does not align with (RFC 7489 §3.1), and
 * a tenant's key should not vouch for text the tenant did not write.
 */

type OutboundJob = Extract<DeliveryJob, { direction: 'outbound' }>;

export interface BounceNoticeQueue {
  /** Idempotent: the same notice enqueued twice (a replayed attempt) is one job. */
  enqueue(notice: DeliveryJob): Promise<void>;
}

/**
 * Whether a job's final bounces are reported to its sender. Never for a message with the null sender (RFC 5321
 * §4.5.5, RFC 3464 §6.2), which is what every notice is: a notice can never cause another.
 */
export function wantsBounceNotice(job: DeliveryJob): job is OutboundJob {
  return job.direction === 'outbound' && job.bounceNotice === true && job.mailFrom !== '';
}

/** One notice per attempt of a message: the same attempt replayed after a crash gets the same id. */
export function bounceNoticeId(messageId: string, attempt: number): string {
  return derivedMessageId(messageId, `bounce-notice:${attempt}`);
}

export interface NoticeFacts {
  attempt: number;
  /** The relay's host name: Reporting-MTA and the notice's From. */
  hostname: string;
  now: Date;
}

/** The notice job for the recipients of `job` that bounced in this attempt (at least one). */
export async function bounceNoticeJob(job: OutboundJob, bounced: readonly [string, RecipientOutcome][], facts: NoticeFacts): Promise<DeliveryJob> {
  const messageId = bounceNoticeId(job.messageId, facts.attempt);
  const raw = await composeBounceNotice(job, bounced, { ...facts, messageId });
  return parseDeliveryJob({
    messageId,
    tenantId: job.tenantId,
    domainId: job.domainId,
    credentialId: job.credentialId,
    direction: 'outbound',
    bounceNotice: false,
    mailFrom: '',
    recipients: [{ address: job.mailFrom, target: null }],
    raw: raw.toString('latin1'),
    size: raw.length,
    receivedAt: facts.now.toISOString(),
    relayNode: facts.hostname,
    // The submission the notice is about: events of the notice trace back to the same client.
    clientIp: job.clientIp,
  });
}

/**
 * Adds notices to the delivery queue. The job id alone does not make a replay harmless: completed delivery jobs
 * are removed at once, so a notice already delivered would be queued again. BullMQ's deduplication key, kept for
 * the original's whole queue lifetime (a replay of its attempt can only happen within it), closes that gap.
 */
export function bounceNoticeQueue(queue: Queue<unknown>, dedupTtlMs: number): BounceNoticeQueue {
  return {
    enqueue: async (notice) => {
      const jobId = deliveryJobId(notice);
      await queue.add('deliver', notice, { jobId, deduplication: { id: jobId, ttl: dedupTtlMs } });
    },
  };
}

export async function composeBounceNotice(
  job: OutboundJob,
  bounced: readonly [string, RecipientOutcome][],
  facts: NoticeFacts & { messageId: string },
): Promise<Buffer> {
  const headers = headerBlock(messageBytes(job));
  const originalId = /^message-id:[ \t]*(<[^>\r\n]+>)/im.exec(headers.toString('latin1'))?.[1];
  const status = deliveryStatus(job, bounced, facts);
  // RFC 6533: fields or headers that are not ASCII (SMTPUTF8 addresses) go in the message/global-* types.
  const statusAscii = isAscii(status);
  const headersAscii = isAscii(headers);
  const root = new MailComposer({
    from: { name: 'Mail Delivery System', address: `MAILER-DAEMON@${facts.hostname}` },
    to: job.mailFrom,
    subject: 'Undelivered Mail Returned to Sender',
    messageId: `<${facts.messageId}@${facts.hostname}>`,
    date: facts.now,
    ...(originalId ? { inReplyTo: originalId, references: originalId } : {}),
    // RFC 3834 §5: a response generated automatically; well-behaved responders do not answer it.
    headers: { 'Auto-Submitted': 'auto-replied' },
    newline: 'win',
    text: humanReadable(bounced, facts.hostname),
    attachments: [
      {
        contentType: statusAscii ? 'message/delivery-status' : 'message/global-delivery-status',
        contentTransferEncoding: statusAscii ? '7bit' : '8bit',
        content: status,
        filename: false,
        contentDisposition: 'inline',
      },
      {
        contentType: headersAscii ? 'text/rfc822-headers' : 'message/global-headers',
        contentTransferEncoding: headersAscii ? '7bit' : '8bit',
        content: headers,
        filename: false,
        contentDisposition: 'inline',
      },
    ],
  }).compile();
  // MailComposer makes text + attachments a multipart/mixed; RFC 6522 §3 wants the same parts as multipart/report.
  root.setHeader('Content-Type', 'multipart/report; report-type=delivery-status');
  return root.build();
}

function humanReadable(bounced: readonly [string, RecipientOutcome][], hostname: string): string {
  const lines = bounced.map(([address, outcome]) => `<${clean(address)}>: ${clean(replyText(outcome))}`);
  return [
    `This is the mail system at host ${hostname}.`,
    '',
    'Your message could not be delivered to the recipients below. It will not be tried again for them.',
    '',
    ...lines,
    '',
    'The delivery report and the headers of your message are attached.',
    '',
  ].join('\r\n');
}

/** RFC 3464 §2.2 per-message fields, then one §2.3 block per recipient, blocks separated by blank lines. */
function deliveryStatus(job: OutboundJob, bounced: readonly [string, RecipientOutcome][], facts: NoticeFacts): string {
  const blocks = [[`Reporting-MTA: dns; ${facts.hostname}`, `Arrival-Date: ${rfc5322Date(new Date(job.receivedAt))}`]];
  for (const [address, outcome] of bounced) {
    const block = [`Final-Recipient: rfc822; ${clean(address)}`, 'Action: failed', `Status: ${statusCode(outcome)}`];
    const remote = outcome.remoteMta?.split('[')[0];
    if (remote) block.push(`Remote-MTA: dns; ${clean(remote)}`);
    // RFC 3464 §2.3.6: "smtp" for a reply from an SMTP server; our own diagnosis (DNS, expiry) is not one.
    block.push(outcome.smtpCode === null ? `Diagnostic-Code: X-Smarthost; ${clean(outcome.response)}` : `Diagnostic-Code: smtp; ${clean(replyText(outcome))}`);
    block.push(`Last-Attempt-Date: ${rfc5322Date(facts.now)}`);
    blocks.push(block);
  }
  return `${blocks.map((block) => block.join('\r\n')).join('\r\n\r\n')}\r\n`;
}

/**
 * RFC 3463 status of a failed recipient: the remote's own 5.x.x; for a message that expired, the last temporary
 * status it kept failing with (as Postfix reports it), else 4.4.7 delivery time expired.
 */
function statusCode(outcome: RecipientOutcome): string {
  if (outcome.code === 'expired') return outcome.enhancedCode ?? '4.4.7';
  if (outcome.enhancedCode?.startsWith('5.')) return outcome.enhancedCode;
  return '5.0.0';
}

function replyText(outcome: RecipientOutcome): string {
  return [outcome.smtpCode, outcome.enhancedCode, outcome.response].filter((part) => part !== null && part !== '').join(' ');
}

/** The original header block (up to the blank line), as RFC 3462 text/rfc822-headers wants it. */
function headerBlock(raw: Buffer): Buffer {
  const crlf = raw.indexOf('\r\n\r\n');
  if (crlf >= 0) return raw.subarray(0, crlf + 2);
  const lf = raw.indexOf('\n\n');
  return lf >= 0 ? raw.subarray(0, lf + 1) : raw;
}

/** Remote replies and addresses become single-line field values: no CR, LF or other controls. */
function clean(text: string): string {
  return text.replace(/[\x00-\x1f\x7f]+/g, ' ').trim();
}

function isAscii(value: string | Buffer): boolean {
  return !/[^\x00-\x7f]/.test(typeof value === 'string' ? value : value.toString('latin1'));
}

function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}
