import type { SMTPServerSession } from 'smtp-server';

export interface ReceivedFacts {
  heloName: string;
  clientIp: string;
  hostname: string;
  /** smtp-server's transmission type, e.g. ESMTPSA (RFC 3848). */
  protocol: string;
  tls: { protocol: string; cipher: string } | null;
  messageId: string;
  /** Named only for a single recipient: listing all would disclose Bcc recipients to each other. */
  recipient: string | null;
  at: Date;
}

/** The trace field for a message received in this smtp-server session (HELO name, protocol and TLS from it). */
export function sessionReceivedHeader(session: SMTPServerSession, facts: Pick<ReceivedFacts, 'clientIp' | 'hostname' | 'messageId' | 'recipient' | 'at'>): string {
  const tls = session.tlsOptions === false ? null : { protocol: session.tlsOptions.version, cipher: session.tlsOptions.name };
  return receivedHeader({ ...facts, heloName: session.hostNameAppearsAs || '', protocol: session.transmissionType, tls });
}

/** The trace field RFC 5321 §4.4 requires every relay to prepend. */
export function receivedHeader(facts: ReceivedFacts): string {
  const from = `from ${clean(facts.heloName) || 'unknown'} ([${clean(facts.clientIp)}])`;
  const by = `by ${facts.hostname} (Smarthost)`;
  const tls = facts.tls === null ? '' : `\r\n\t(using ${clean(facts.tls.protocol)} with cipher ${clean(facts.tls.cipher)})`;
  const withPart = `with ${clean(facts.protocol)} id ${facts.messageId}`;
  const forPart = facts.recipient === null ? '' : `\r\n\tfor <${clean(facts.recipient)}>`;
  return `Received: ${from}\r\n\t${by}${tls}\r\n\t${withPart}${forPart};\r\n\t${rfc5322Date(facts.at)}\r\n`;
}

// Client-supplied text (the HELO name) must not break the header or inject another one.
const UNSAFE = /[^\x21-\x7e]|[()<>;\\]/;
function clean(text: string): string {
  const safe = UNSAFE.test(text) ? text.replace(/[^\x21-\x7e]/g, '').replace(/[()<>;\\]/g, '') : text;
  return safe.slice(0, 255);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 5322 §3.3 date-time in UTC. */
export function rfc5322Date(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`;
  return `${DAYS[at.getUTCDay()]}, ${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]} ${at.getUTCFullYear()} ${time} +0000`;
}
