/** Where in the delivery an outcome was decided; `phase` of the event. */
export type DeliveryPhase = 'dns' | 'connect' | 'tls' | 'dkim' | 'mail' | 'rcpt' | 'data' | 'expiry';

/**
 * Why a recipient was not delivered, a closed set (the `code` of deferred/bounced events):
 * - `hard_bounce`: the remote says the mailbox does not exist (5.1.x); the API suppresses the recipient.
 * - `permanent`: any other 5xx (policy, content, sender refused): bounced, not suppressed.
 * - `temporary`: a 4xx reply.
 * - `connection`: no server could be reached or the session broke (deferred, RFC 5321 §4.5.4.1).
 * - `tls_required`: the route demands STARTTLS and no server of it offered it.
 * - `tls_unverified`: the route demands a verified certificate and the server's does not chain to a trusted CA or
 *   does not name the route host.
 * - `dns_temporary`: the lookup failed without an answer (never a bounce, RFC 5321 §5.1).
 * - `no_such_domain`: NXDOMAIN for the recipient domain, or it has no address at all.
 * - `null_mx`: the domain publishes `MX 0 .` and accepts no mail (RFC 7505).
 * - `forbidden_target`: a route or MX host resolves only to private, loopback or reserved addresses.
 * - `routing_loop`: a route or MX host resolves to the relay's own addresses (RFC 5321 §6.3).
 * - `dkim_unavailable`: the signing key could not be fetched; sending unsigned would fail DMARC.
 * - `expired`: still deferred after DELIVERY_MAX_AGE_SECONDS (inbound: INBOUND_MAX_AGE_SECONDS).
 */
export type FailureCode =
  | 'hard_bounce'
  | 'permanent'
  | 'temporary'
  | 'connection'
  | 'tls_required'
  | 'tls_unverified'
  | 'dns_temporary'
  | 'no_such_domain'
  | 'null_mx'
  | 'forbidden_target'
  | 'routing_loop'
  | 'dkim_unavailable'
  | 'expired';

export interface RecipientOutcome {
  status: 'delivered' | 'deferred' | 'bounced';
  /** Null when delivered. */
  code: FailureCode | null;
  phase: DeliveryPhase;
  smtpCode: number | null;
  /** RFC 3463 enhanced status code, e.g. `5.1.1`. */
  enhancedCode: string | null;
  /** The remote's reply text (or our description when no server answered). */
  response: string;
  /** `host[address]:port` of the server that answered, Postfix style. */
  remoteMta: string | null;
}

export interface SmtpReply {
  code: number;
  enhancedCode: string | null;
  text: string;
}

/** Parses `550-5.1.1 first\n550 5.1.1 second` style replies (RFC 5321 §4.2, RFC 3463 §2). */
export function parseReply(raw: string): SmtpReply | undefined {
  const lines = raw.split(/\r?\n/).filter((line) => line.trim() !== '');
  const first = /^([2-5]\d\d)(?:[ -]|$)(.*)$/.exec(lines[0] ?? '');
  if (!first) return undefined;
  const code = Number(first[1]);
  const enhanced = /^([245]\.\d{1,3}\.\d{1,3})\b/.exec((first[2] ?? '').trim());
  const enhancedCode = enhanced && enhanced[1]?.[0] === String(code)[0] ? (enhanced[1] as string) : null;
  const text = lines
    .map((line) => line.replace(/^[2-5]\d\d[ -]?/, '').trim())
    .map((line) => (enhancedCode && line.startsWith(enhancedCode) ? line.slice(enhancedCode.length).trim() : line))
    .join(' ');
  return { code, enhancedCode, text };
}

// RFC 5321 §4.2.3: 550 mailbox unavailable, 551 user not local, 553 mailbox name not allowed.
const MAILBOX_REPLY_CODES: ReadonlySet<number> = new Set([550, 551, 553]);

/**
 * A 5xx that says the address itself is bad: RFC 3463 §3.2 class X.1.x (addressing status) at RCPT or DATA, or,
 * from a server without enhanced codes, a mailbox-unavailable reply to RCPT. Policy refusals (5.7.x, e.g. a
 * blocklisting of our IP) must not suppress the recipient: they say nothing about the mailbox.
 */
export function isHardBounce(reply: SmtpReply, phase: DeliveryPhase): boolean {
  if (reply.code < 500 || (phase !== 'rcpt' && phase !== 'data')) return false;
  if (reply.enhancedCode) return reply.enhancedCode.startsWith('5.1.');
  return phase === 'rcpt' && MAILBOX_REPLY_CODES.has(reply.code);
}

/** The outcome a remote reply means for the recipients it applies to. */
export function outcomeFromReply(raw: string, phase: DeliveryPhase, remoteMta: string): RecipientOutcome {
  const reply = parseReply(raw);
  if (!reply) {
    return failure('deferred', 'connection', phase, `unreadable reply: ${raw.slice(0, 200)}`, { remoteMta });
  }
  const base = { phase, smtpCode: reply.code, enhancedCode: reply.enhancedCode, response: reply.text, remoteMta };
  if (reply.code < 300) return { status: 'delivered', code: null, ...base };
  if (reply.code < 500) return { status: 'deferred', code: 'temporary', ...base };
  return { status: 'bounced', code: isHardBounce(reply, phase) ? 'hard_bounce' : 'permanent', ...base };
}

/** An outcome without a usable SMTP reply (DNS, connection, configuration); `enhancedCode` says what it means. */
export function failure(
  status: 'deferred' | 'bounced',
  code: FailureCode,
  phase: DeliveryPhase,
  response: string,
  details: { enhancedCode?: string; remoteMta?: string; smtpCode?: number } = {},
): RecipientOutcome {
  return {
    status,
    code,
    phase,
    smtpCode: details.smtpCode ?? null,
    enhancedCode: details.enhancedCode ?? null,
    response: response.slice(0, 500),
    remoteMta: details.remoteMta ?? null,
  };
}

/**
 * A deferral past the message's deadline becomes a bounce that keeps the last reply, so the sender learns
 * what kept failing (RFC 3464 diagnostic), with `expired` as the reason.
 */
export function expire(outcome: RecipientOutcome): RecipientOutcome {
  return { ...outcome, status: 'bounced', code: 'expired', response: `gave up after the maximum queue time: ${outcome.response}`.slice(0, 500) };
}
