import type { SMTPServerSession } from 'smtp-server';
import type { ListenerKind } from '../session-state';
import { hasEnhancedCode, labelServerReply, type EdgeCut } from './edge-replies';
import type { ServerConnection } from './smtp-server-internals';
import type { Ticket } from './ticket';

/** Replies that mean the client sent something bad or unknown (RFC 5321 §4.2.4 500-504), or skipped AUTH (530). */
const BAD_COMMAND = new Set([500, 501, 502, 503, 504, 530]);
const STARTTLS_FIRST = '5.7.0 Must issue a STARTTLS command first';

/**
 * Every reply of the session passes here (smtp-server has one write site), for what only the reply tells:
 * - AUTH before STARTTLS on 587 is refused `530 5.7.0` (RFC 3207 §4): AUTH is not even advertised in cleartext
 *   (on-connect), so smtp-server answers it as an unknown command;
 * - bad and unknown commands before AUTH (smtp-server's protocol errors) are counted, and at the limit the session is cut with the reason;
 * - smtp-server's own 421s get the enhanced code that says why.
 * Replies below 421 (every reply of a working session) pass after one comparison.
 */
export interface GuardOptions {
  kind: ListenerKind;
  maxBadCommands: number;
  /** Logs the cut and sends its 421 (AdmissionGate.cut). */
  cut: (ticket: Ticket, cut: EdgeCut) => void;
}

export function guardReplies(connection: ServerConnection, session: SMTPServerSession, ticket: Ticket, options: GuardOptions): void {
  const send = connection.send.bind(connection);
  connection.send = (code, data, context) => {
    if (code < 421) return send(code, data, context);
    if (code === 421 && typeof data === 'string') return send(code, labelServerReply(data), context);
    // The relay's own refusals (relay denied, bad address) lead with an enhanced code and are limited where they
    // are decided; only smtp-server's verdicts on the protocol itself count here.
    const protocolError = BAD_COMMAND.has(code) && !(typeof data === 'string' && hasEnhancedCode(data));
    if (code === 500 && context === 'AUTH' && options.kind === 'submission' && !session.secure) {
      code = 530;
      data = STARTTLS_FIRST;
    }
    send(code, data, context);
    if (!protocolError || ticket.authenticated) return;
    ticket.badCommands += 1;
    if (ticket.badCommands >= options.maxBadCommands && !ticket.cut) options.cut(ticket, 'bad_commands');
  };
}
