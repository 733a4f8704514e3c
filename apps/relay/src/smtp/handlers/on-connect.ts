import type { SMTPServerSession } from 'smtp-server';
import type { Ticket } from '../admission/ticket';
import type { RelayContext } from '../relay-context';
import { newConnectionState, type ListenerKind } from '../session-state';

/**
 * Every client address is treated the same, loopback and private ranges included: no network is trusted
 * (the Postfix `permit_mynetworks` hole). The connection only gets its state here.
 */
export async function onConnect(ctx: RelayContext, listener: ListenerKind, session: SMTPServerSession, admission: Ticket | null): Promise<void> {
  ctx.connections.set(session.id, newConnectionState(listener, session.id, session.remoteAddress, admission));
  // RFC 4954 §4: not even advertised before STARTTLS, because a naive client that sees AUTH sends
  // `AUTH PLAIN <credentials>` at once, and the password is out in plaintext before any refusal.
  if (listener === 'submission' && !session.secure) session.disabledCommands = ['AUTH'];
}

/** After STARTTLS the server-wide command set applies again, AUTH included. */
export async function onSecure(session: SMTPServerSession): Promise<void> {
  session.disabledCommands = undefined;
}

/** Quota reserved by a transaction that never reached an accepted DATA is given back. */
export async function onClose(ctx: RelayContext, session: SMTPServerSession): Promise<void> {
  const state = ctx.connections.get(session.id);
  ctx.connections.delete(session.id);
  const reservations = state?.transaction?.reservations ?? [];
  if (reservations.length > 0) await ctx.quota.release(reservations);
}
