import type { EmailAddress, InboundUsage, RelaySession, ReturnPath } from '@smarthost/relay-policy';
import type { InboundTarget } from '@smarthost/queues';
import type { Reservation } from '../limits/quota';
import type { Ticket } from './admission/ticket';

export type ListenerKind = 'submission' | 'submissions' | 'inbound';

export interface AcceptedRecipient {
  recipient: EmailAddress;
  /** Inbound only: where this recipient is delivered. */
  target: InboundTarget | null;
}

/** One mail transaction (MAIL FROM … DATA); replaced by the next MAIL FROM or after DATA. */
export interface TransactionState {
  /** null for the empty reverse-path (inbound bounces). */
  sender: EmailAddress | null;
  tenantId: string | null;
  domainId: string | null;
  credentialId: string | null;
  recipients: AcceptedRecipient[];
  /** Quota reserved per accepted recipient; given back if the message is not accepted. */
  reservations: Reservation[];
  /**
   * Set when the one recipient takes reports, not mail: a bounce (DSN) at the return path of this sent message,
   * or a complaint (ARF) at the feedback-loop address.
   */
  report: { kind: 'bounce'; messageId: string; returnPath: ReturnPath } | { kind: 'complaint' } | null;
  /** Set when the one recipient is an SRS address we made: the original sender its bounce goes back to. */
  returnTo: string | null;
  /** Inbound: the tenant's inbound usage read at its first RCPT; bounds what DATA keeps of the message. */
  inboundUsage: InboundUsage | null;
}

/** What the relay knows about one SMTP connection, keyed by smtp-server's session id. */
export interface ConnectionState {
  listener: ListenerKind;
  sessionId: string;
  clientIp: string;
  /** Set by a successful AUTH; every later decision looks the credential up again in the current policy. */
  credentialId: string | null;
  authFailures: number;
  /** Counts refusals, so each refusal event gets a distinct deterministic id. */
  refusals: number;
  transaction: TransactionState | null;
  /** The connection's place at the admission gate; null only if the gate did not see it (never in practice). */
  admission: Ticket | null;
}

export function newConnectionState(listener: ListenerKind, sessionId: string, clientIp: string, admission: Ticket | null): ConnectionState {
  return { listener, sessionId, clientIp, credentialId: null, authFailures: 0, refusals: 0, transaction: null, admission };
}

/** The view of the connection that the pure decisions in relay-policy take. */
export function relaySession(state: ConnectionState): RelaySession {
  return state.listener === 'inbound'
    ? { channel: 'inbound', clientIp: state.clientIp }
    : { channel: 'submission', clientIp: state.clientIp, credentialId: state.credentialId };
}
