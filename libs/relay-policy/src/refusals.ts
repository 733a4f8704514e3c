/**
 * Every reason the relay refuses something, as a closed set. Decisions return these codes; the SMTP handlers
 * turn them into replies with `smtpReply`, and events record the code itself, so logs can tell apart what the
 * client must not (the four authentication failures all answer the same 535 against username probing).
 */
export type RefusalCode =
  | 'auth_required'
  | 'auth_unknown_user'
  | 'auth_bad_password'
  | 'auth_credential_disabled'
  | 'auth_ip_not_allowed'
  | 'auth_too_many_failures'
  | 'auth_username_flood'
  | 'auth_address_flood'
  | 'auth_tls_required'
  | 'sender_not_owned'
  | 'tenant_suspended'
  | 'tenant_paused'
  | 'quota_daily_exhausted'
  | 'quota_monthly_exhausted'
  | 'rate_limited'
  | 'too_many_recipients'
  | 'message_too_large'
  | 'relay_denied'
  | 'recipient_unknown'
  | 'report_unknown'
  | 'suppressed'
  | 'bad_address_syntax'
  | 'from_misaligned'
  | 'policy_unavailable'
  | 'storage_unavailable'
  | 'report_check_unavailable'
  | 'bare_line_ending'
  | 'dmarc_reject'
  | 'too_many_signatures'
  | 'srs_invalid'
  | 'srs_not_bounce'
  | 'too_many_hops'
  | 'inbound_quota_exhausted'
  | 'inbound_backlog_full'
  | 'line_too_long';

export const REFUSAL_CODES: readonly RefusalCode[] = [
  'auth_required',
  'auth_unknown_user',
  'auth_bad_password',
  'auth_credential_disabled',
  'auth_ip_not_allowed',
  'auth_too_many_failures',
  'auth_username_flood',
  'auth_address_flood',
  'auth_tls_required',
  'sender_not_owned',
  'tenant_suspended',
  'tenant_paused',
  'quota_daily_exhausted',
  'quota_monthly_exhausted',
  'rate_limited',
  'too_many_recipients',
  'message_too_large',
  'relay_denied',
  'recipient_unknown',
  'report_unknown',
  'suppressed',
  'bad_address_syntax',
  'from_misaligned',
  'policy_unavailable',
  'storage_unavailable',
  'report_check_unavailable',
  'bare_line_ending',
  'dmarc_reject',
  'too_many_signatures',
  'srs_invalid',
  'srs_not_bounce',
  'too_many_hops',
  'inbound_quota_exhausted',
  'inbound_backlog_full',
  'line_too_long',
];

export interface Refusal {
  ok: false;
  refusal: RefusalCode;
  /** Human-readable addition for the reply text (a tenant's status reason, an address problem). */
  detail?: string;
}

export interface SmtpReply {
  code: number;
  /** RFC 3463 enhanced status code. */
  enhanced: string;
  message: string;
}

export function refuse(refusal: RefusalCode, detail?: string): Refusal {
  return detail === undefined ? { ok: false, refusal } : { ok: false, refusal, detail };
}

/** The reply for a refusal. `detail` is appended after sanitising, because it may hold operator or tenant text. */
export function smtpReply(code: RefusalCode, detail?: string | null): SmtpReply {
  const base = baseReply(code);
  const extra = detail == null ? '' : sanitizeReplyText(detail);
  return extra === '' ? base : { ...base, message: `${base.message}: ${extra}` };
}

function baseReply(code: RefusalCode): SmtpReply {
  switch (code) {
    case 'auth_required':
      return reply(530, '5.7.0', 'Authentication required');
    case 'auth_unknown_user':
    case 'auth_bad_password':
    case 'auth_credential_disabled':
    case 'auth_ip_not_allowed':
      return reply(535, '5.7.8', 'Authentication credentials invalid');
    // 421 closes the connection (RFC 5321 §3.8): a guesser has to connect again, and pays admission for it.
    case 'auth_too_many_failures':
      return reply(421, '4.7.0', 'Too many failed authentication attempts on this connection');
    case 'auth_username_flood':
      return reply(421, '4.7.0', 'Too many failed logins for this user name from your address, try again later');
    case 'auth_address_flood':
      return reply(421, '4.7.0', 'Too many failed logins under different user names from your address, try again later');
    case 'auth_tls_required':
      // RFC 4954 §4 / RFC 3207: credentials only travel over TLS.
      return reply(538, '5.7.11', 'Encryption required for requested authentication mechanism');
    case 'sender_not_owned':
      return reply(553, '5.7.1', 'Sender address not owned by user');
    case 'tenant_suspended':
      return reply(550, '5.7.1', 'Account suspended');
    case 'tenant_paused':
      return reply(451, '4.7.1', 'Account sending paused, try again later');
    case 'quota_daily_exhausted':
      return reply(452, '4.5.3', 'Daily recipient quota exhausted');
    case 'quota_monthly_exhausted':
      return reply(452, '4.5.3', 'Monthly recipient quota exhausted');
    case 'rate_limited':
      return reply(451, '4.7.1', 'Sending rate exceeded, slow down and try again later');
    case 'too_many_recipients':
      // RFC 5321 §4.5.3.1.10: 452 tells the client to send the remaining recipients in another transaction.
      return reply(452, '4.5.3', 'Too many recipients');
    case 'message_too_large':
      return reply(552, '5.3.4', 'Message size exceeds fixed limit');
    case 'relay_denied':
      return reply(554, '5.7.1', 'Relay access denied');
    case 'recipient_unknown':
      return reply(550, '5.1.1', 'Recipient address rejected: no such user');
    case 'report_unknown':
      // A bounce+ address whose MAC does not verify: no message of ours was sent with it (ADR 0006).
      return reply(550, '5.1.1', 'Recipient address rejected: not a return path of a message this relay sent');
    case 'suppressed':
      return reply(550, '5.1.1', 'Recipient address suppressed after an earlier hard bounce or complaint');
    case 'bad_address_syntax':
      return reply(501, '5.1.3', 'Bad address syntax');
    case 'from_misaligned':
      return reply(550, '5.7.1', 'From header does not align with the envelope sender domain');
    case 'policy_unavailable':
      return reply(451, '4.3.0', 'Relay policy temporarily unavailable, try again later');
    case 'storage_unavailable':
      return reply(451, '4.3.0', 'Temporary storage failure, try again later');
    case 'report_check_unavailable':
      // RFC 3463 §3.5 X.4.3: a DNS failure looking up a feedback provider's DKIM key; the provider retries later.
      return reply(451, '4.4.3', 'Report signature cannot be checked now, try again later');
    case 'bare_line_ending':
      // RFC 5321 §2.3.8 and SMTP smuggling: only CRLF ends a line; bare LF, bare CR and NUL are refused.
      return reply(550, '5.6.11', 'Bare CR, LF or NUL in message not allowed');
    case 'dmarc_reject':
      // RFC 7489 §6.6.4 / §10.3: a p=reject failure is refused during the SMTP transaction, not bounced later.
      return reply(550, '5.7.1', "Message refused: it fails the sender domain's DMARC policy (p=reject)");
    case 'too_many_signatures':
      return reply(550, '5.7.1', 'Too many DKIM signatures or ARC sets to verify');
    case 'srs_invalid':
      return reply(550, '5.1.1', 'Invalid or expired SRS return address');
    case 'srs_not_bounce':
      // RFC 5321 §4.5.5: a bounce has the null reverse-path; an SRS address is no mailbox for other mail.
      return reply(550, '5.7.1', 'SRS return address accepts only bounces (null sender)');
    case 'too_many_hops':
      // RFC 5321 §6.3: counting Received headers detects a mail loop; RFC 3463 X.4.6 routing loop detected.
      return reply(554, '5.4.6', 'Routing loop detected: too many Received headers');
    case 'inbound_quota_exhausted':
      // RFC 3463 X.2.2: the recipient's administrative quota (its plan's inbound allowance for today).
      return reply(452, '4.2.2', 'Inbound mail quota of the recipient domain exhausted, try again later');
    case 'inbound_backlog_full':
      // RFC 3463 X.3.1 mail system full: this tenant's mail already queued for its server, not the relay.
      return reply(452, '4.3.1', 'Too much mail for the recipient domain is waiting for delivery, try again later');
    case 'line_too_long':
      // RFC 5322 §2.1.1: a line is at most 998 octets before its CRLF; longer ones break on their way.
      return reply(550, '5.6.0', 'Message line longer than 998 octets not allowed');
    default:
      return assertNever(code);
  }
}

function reply(code: number, enhanced: string, message: string): SmtpReply {
  return { code, enhanced, message };
}

/** Printable ASCII on one line, bounded: CR/LF in reply text would let the text inject further replies. */
export function sanitizeReplyText(text: string): string {
  return text
    .replace(/[^\x20-\x7e]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim()
    .slice(0, 200);
}

function assertNever(value: never): never {
  throw new Error(`Unhandled refusal code: ${String(value)}`);
}
