/**
 * Why the edge refuses or cuts a session: a closed set, each with the reply the client reads before the close.
 * 4.7.0 for a refusal by policy, 4.4.2 (RFC 3463 "bad connection") for a deadline the client missed.
 */
export type EdgeCut =
  | 'listener_full'
  | 'unauthenticated_full'
  | 'client_connections'
  | 'client_rate'
  | 'bad_commands'
  | 'idle'
  | 'line_slow'
  | 'data_slow'
  | 'session_time'
  | 'handshake_slow';

const TEXT: Record<EdgeCut, string> = {
  listener_full: '4.7.0 Too many connections to this server, try again later',
  unauthenticated_full: '4.7.0 Too many sessions without authentication, try again later',
  client_connections: '4.7.0 Too many connections from your network, try again later',
  client_rate: '4.7.0 Too many new connections from your network per minute, try again later',
  bad_commands: '4.7.0 Too many bad commands, closing connection',
  idle: '4.4.2 Idle for too long without authentication, closing connection',
  line_slow: '4.4.2 Command or message line too slow, closing connection',
  data_slow: '4.4.2 Message data arriving too slowly, closing connection',
  session_time: '4.4.2 Session time limit reached, closing connection',
  handshake_slow: '4.4.2 TLS handshake too slow, closing connection',
};

/** The text after `421 ` (smtp-server adds the code): enhanced code first, then the reason. */
export function edgeText(cut: EdgeCut): string {
  return TEXT[cut];
}

/** The whole reply line, for a socket smtp-server never saw. */
export function edgeReplyLine(cut: EdgeCut, hostname: string): string {
  const text = TEXT[cut];
  return `421 ${text.slice(0, 5)} ${hostname} ${text.slice(6)}\r\n`;
}

/** smtp-server's own 421 texts carry no enhanced code; each gets the one that says what happened. */
export function labelServerReply(text: string): string {
  if (hasEnhancedCode(text)) return text;
  if (text.startsWith('Timeout')) return `4.4.2 ${text}`;
  if (text === 'Server shutting down') return `4.3.2 ${text}`;
  return `4.7.0 ${text}`;
}

/** RFC 3463 class.subject.detail at the start of the text. */
export function hasEnhancedCode(text: string): boolean {
  return /^[245]\.\d{1,3}\.\d{1,3} /.test(text);
}
