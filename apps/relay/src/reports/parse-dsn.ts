import { parseAddress } from '@smarthost/relay-policy';
import { readReport } from './read-report';
import { fieldBlocks } from './report-fields';

export interface DsnFailure {
  /** The failed recipient, lower-cased bare address (from Final-Recipient, else Original-Recipient; `rfc822;` type only). */
  recipient: string;
  /** RFC 3463 enhanced status of the failure, e.g. "5.1.1" (the Status field). */
  status: string;
  /** The Diagnostic-Code text without its type prefix ("smtp; 550 5.1.1 user unknown" → "550 5.1.1 user unknown"), or null. */
  diagnostic: string | null;
  /** The Remote-MTA name without its type prefix ("dns; mx.example.net" → "mx.example.net"), or null. */
  remoteMta: string | null;
  /** The SMTP reply code at the start of the diagnostic (550), or null. */
  smtpCode: number | null;
}

/**
 * Larger than any report needs to be: the report itself is a few kB, and MTAs that return the original message cap
 * it (Postfix bounce_size_limit 50 kB, Exim return_size_limit 100 kB) or send headers only (Gmail). The caller limits
 * the size too; this only keeps the parser's cost bounded when it is called from elsewhere.
 */
export const MAX_DSN_BYTES = 10 * 1024 * 1024;

// RFC 6522 §3: report-type names the subtype of the report part; RFC 6533 §3 adds the UTF-8 variant, which some MTAs
// (this relay's own notices among them) send under report-type=delivery-status.
const REPORT_TYPES = new Set(['delivery-status', 'global-delivery-status']);
const STATUS_PART_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);

const ENHANCED_STATUS = /^([245])\.\d{1,3}\.\d{1,3}(?![\d.])/;
const SMTP_REPLY_CODE = /^([2-5]\d\d)(?:[ -]|$)/;

/**
 * The permanent failures a DSN reports (RFC 3464): only per-recipient groups with Action: failed and a 5.x.x Status.
 * Delayed, delivered, relayed and expanded groups, and anything that is not a multipart/report of report-type
 * delivery-status, give an empty list. Never throws on bad input.
 */
export async function parseDsn(raw: Buffer): Promise<DsnFailure[]> {
  if (raw.length > MAX_DSN_BYTES) return [];
  const report = await deliveryStatusText(raw);
  if (report === null) return [];
  return fieldGroups(report).flatMap((group) => {
    const failure = permanentFailure(group);
    return failure ? [failure] : [];
  });
}

/** The text of the report's delivery-status part, or null when the message is not an RFC 6522 delivery report. */
async function deliveryStatusText(raw: Buffer): Promise<string | null> {
  const parsed = await readReport(raw, { reportTypes: REPORT_TYPES, keepDeliveryStatus: true });
  if (parsed === null) return null;
  // RFC 6522 §3: the report part is a child of the top-level multipart/report (part "2"), not one inside a returned
  // message/rfc822, which is the sender's original and may itself be an old report.
  const part = parsed.attachments.find(
    (attachment) => STATUS_PART_TYPES.has(attachment.contentType.toLowerCase()) && attachment.partId !== null && !attachment.partId.includes('.'),
  );
  // RFC 6533 §3: message/global-delivery-status is UTF-8; message/delivery-status is ASCII, which UTF-8 decodes as is.
  return part ? part.content.toString('utf8') : null;
}

/**
 * RFC 3464 §2.1: the first block is per-message, the rest one per recipient. Each becomes a map from field name to
 * value; a repeated field keeps its first value.
 */
function fieldGroups(text: string): Map<string, string>[] {
  return fieldBlocks(text).map((block) => {
    const group = new Map<string, string>();
    for (const field of block) if (!group.has(field.name)) group.set(field.name, field.value);
    return group;
  });
}

/**
 * A per-recipient group that reports a permanent failure. The per-message group has no Action field, so it never
 * qualifies. A failed action with a 4.x.x status (a message that expired after temporary failures, as Postfix and
 * this relay report it) says nothing permanent about the address, so it is left out.
 */
function permanentFailure(group: Map<string, string>): DsnFailure | null {
  if (group.get('action')?.split(/[\s(]/, 1)[0]?.toLowerCase() !== 'failed') return null;
  const status = ENHANCED_STATUS.exec(group.get('status') ?? '');
  if (status?.[1] !== '5') return null;
  const recipient = rfc822Address(group.get('final-recipient')) ?? rfc822Address(group.get('original-recipient'));
  if (recipient === null) return null;
  const diagnostic = typedValue(group.get('diagnostic-code'));
  const code = diagnostic === null ? null : SMTP_REPLY_CODE.exec(diagnostic);
  return {
    recipient,
    status: status[0],
    diagnostic,
    remoteMta: typedValue(group.get('remote-mta')),
    smtpCode: code ? Number(code[1]) : null,
  };
}

/**
 * The address of an `rfc822; local@domain` field (RFC 3464 §2.3.1-2), normalised as the relay keys recipients
 * (lower case, A-label domain). Other address types, and text that is not an address the relay could have sent
 * to, give null.
 */
function rfc822Address(field: string | undefined): string | null {
  if (field === undefined) return null;
  const semicolon = field.indexOf(';');
  if (semicolon < 0 || field.slice(0, semicolon).trim().toLowerCase() !== 'rfc822') return null;
  // Some MTAs keep the angle brackets of the SMTP path.
  const bare = field.slice(semicolon + 1).trim().replace(/^<(.*)>$/, '$1');
  const parsed = parseAddress(bare);
  return parsed.ok ? parsed.address.normalized : null;
}

/** The text after the type of a `type; text` field (RFC 3464 §2.3.5-6), or null when empty or absent. */
function typedValue(field: string | undefined): string | null {
  if (field === undefined) return null;
  const semicolon = field.indexOf(';');
  const text = (semicolon < 0 ? field : field.slice(semicolon + 1)).trim();
  return text === '' ? null : text;
}
