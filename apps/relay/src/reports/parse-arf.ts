import { parseAddress } from '@smarthost/relay-policy';
import { parseAddressHeader, type Attachment } from 'mailparser';
import { readReport } from './read-report';
import { fieldBlocks, type Field } from './report-fields';

const FEEDBACK_REPORT: ReadonlySet<string> = new Set(['feedback-report']);

export interface Complaint {
  /**
   * The complaining recipient, normalised as the relay keys recipients (parseAddress: lower case, A-label domain): from
   * the feedback report's Original-Rcpt-To field, else the single address of the original message's To: header; null
   * when neither gives exactly one address (providers often redact it).
   */
  recipient: string | null;
  /**
   * The original message's envelope sender as the receiving MTA recorded it: the address of its Return-Path: header,
   * else the feedback report's Original-Mail-From field; null when absent.
   */
  returnPath: string | null;
  /** Feedback-Type, lower-cased (abuse, fraud, virus, other, not-spam, auth-failure, ...). */
  feedbackType: string;
  /** Arrival-Date (or the older Received-Date) field text, or null. */
  arrivalDate: string | null;
}

/**
 * Unlike a DSN, a complaint usually carries the whole original message (RFC 5965 §2 allows it or the headers alone,
 * and feedback loops mostly send it whole), so the cap sits above the largest message a plan lets a tenant send
 * (25 MB today), with room for a provider that base64-encodes the returned message and for the report around it.
 * The caller limits the size too; this only keeps the parser's cost bounded when it is called from elsewhere.
 */
export const MAX_ARF_BYTES = 40 * 1024 * 1024;

// RFC 5965 §2: the report is the second child of the top-level multipart/report, the original message the third.
const REPORT_PART_ID = '2';
const ORIGINAL_PART_ID = '3';
const ORIGINAL_PART_TYPES = new Set(['message/rfc822', 'text/rfc822-headers']);

// Providers that redact the recipient (RFC 6590) write this local part in its place, e.g. redacted@aol.com.
const REDACTED_LOCAL_PART = 'redacted';

const ADDRESS_OPTIONS = { flatten: true, decodePunycode: false } as const;

/**
 * The complaint an ARF report carries: a multipart/report with report-type=feedback-report whose second part is
 * message/feedback-report (RFC 5965 §2), and whose third part is the original message (message/rfc822) or its
 * headers (text/rfc822-headers). Anything else, and a report without a Feedback-Type, gives null. Never throws on bad
 * input.
 */
export async function parseArf(raw: Buffer): Promise<Complaint | null> {
  if (raw.length > MAX_ARF_BYTES) return null;
  const parts = await feedbackParts(raw);
  if (parts === null) return null;
  const report = headerFields(parts.report.toString('utf8'));
  // RFC 5965 §3.5: feedback-type-token is a single token; anything after it (a comment) is not part of the type.
  const feedbackType = firstValue(report, 'feedback-type')?.split(/[\s(;]/, 1)[0]?.toLowerCase();
  if (!feedbackType) return null;
  const original = headerFields(headerSection(parts.original));
  return {
    recipient: singleRecipient(allValues(report, 'original-rcpt-to')) ?? singleRecipient(allValues(original, 'to')),
    // RFC 5321 §4.4: the delivering MTA puts Return-Path first, so the first one is the receiving provider's record.
    returnPath: envelopeAddress(firstValue(original, 'return-path')) ?? envelopeAddress(firstValue(report, 'original-mail-from')),
    feedbackType,
    // Received-Date: the name some report generators still write for it.
    arrivalDate: firstValue(report, 'arrival-date') ?? firstValue(report, 'received-date') ?? null,
  };
}

/** The report and original-message parts of an RFC 5965 feedback report, or null when the message is not one. */
async function feedbackParts(raw: Buffer): Promise<{ report: Buffer; original: Buffer } | null> {
  const parsed = await readReport(raw, { reportTypes: FEEDBACK_REPORT, ignoreEmbedded: true });
  if (parsed === null) return null;
  // Neither part type is text/plain or text/html, so mailparser lists both as attachments, numbered from the tree.
  const report = topLevelPart(parsed.attachments, REPORT_PART_ID);
  const original = topLevelPart(parsed.attachments, ORIGINAL_PART_ID);
  if (report?.contentType.toLowerCase() !== 'message/feedback-report') return null;
  if (original === undefined || !ORIGINAL_PART_TYPES.has(original.contentType.toLowerCase())) return null;
  return { report: report.content, original: original.content };
}

function topLevelPart(attachments: readonly Attachment[], partId: string): Attachment | undefined {
  return attachments.find((attachment) => attachment.partId === partId);
}

/**
 * The header section of a returned message (RFC 5322 §2.1: up to the first empty line), so that a large body is never
 * decoded. text/rfc822-headers has no body, and the whole content is its header section.
 */
function headerSection(content: Buffer): string {
  const ends = [content.indexOf('\r\n\r\n'), content.indexOf('\n\n')].filter((index) => index >= 0);
  return content.subarray(0, ends.length > 0 ? Math.min(...ends) : content.length).toString('utf8');
}

/** The fields in order, repeated ones included (RFC 5965 §3.2 lets Original-Rcpt-To appear more than once). */
function headerFields(text: string): Field[] {
  return fieldBlocks(text).flat();
}

/** The first non-empty value of a field, or undefined. */
function firstValue(fields: readonly Field[], name: string): string | undefined {
  return fields.find((field) => field.name === name && field.value !== '')?.value;
}

function allValues(fields: readonly Field[], name: string): string[] {
  return fields.filter((field) => field.name === name).map((field) => field.value);
}

/**
 * The one recipient the values name, normalised as the relay keys recipients (lower case, A-label domain). Several
 * different addresses (a report about a message sent to many), none, a redacted placeholder, or an address the relay
 * could not have sent to, give null: a complaint must not be pinned on the wrong recipient.
 */
function singleRecipient(values: readonly string[]): string | null {
  if (values.length === 0) return null;
  const addresses = new Set(
    parseAddressHeader([...values], ADDRESS_OPTIONS)
      .value.map((entry) => entry.address?.trim().toLowerCase() ?? '')
      .filter((address) => address !== ''),
  );
  if (addresses.size !== 1) return null;
  const parsed = parseAddress([...addresses][0] as string);
  if (!parsed.ok || parsed.address.local.toLowerCase() === REDACTED_LOCAL_PART) return null;
  return parsed.address.normalized;
}

/**
 * The bare address of a Return-Path or Original-Mail-From value ("<a@b>", "a@b", a trailing comment), as written.
 * The null sender "<>" and text that holds no address give null.
 */
function envelopeAddress(value: string | undefined): string | null {
  if (value === undefined) return null;
  const entries = parseAddressHeader(value, ADDRESS_OPTIONS).value;
  const address = entries.length === 1 ? entries[0]?.address?.trim() : undefined;
  return address ? address : null;
}
