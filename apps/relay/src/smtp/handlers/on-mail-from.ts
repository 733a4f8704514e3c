import { checkMessageSize, decideMailFrom, type EmailAddress } from '@smarthost/relay-policy';
import type { SMTPServerAddress, SMTPServerSession } from 'smtp-server';
import { stateOf } from '../adapt';
import { refuse } from '../refuse';
import type { RelayContext } from '../relay-context';
import { relaySession, type ConnectionState, type TransactionState } from '../session-state';

/** MAIL FROM: starts a transaction. Who may send as whom is decided by `decideMailFrom` (the decision table). */
export async function onMailFrom(ctx: RelayContext, address: SMTPServerAddress, session: SMTPServerSession): Promise<void> {
  const state = stateOf(ctx, session);
  await abandonTransaction(ctx, state);
  const policy = ctx.policy.current();
  if (policy === null) throw refuse(ctx, state, 'mail', 'policy_unavailable');
  const decision = decideMailFrom(policy, relaySession(state), address.address);
  if (!decision.ok) throw refuse(ctx, state, 'mail', decision.refusal, { detail: decision.detail });
  if (decision.channel === 'inbound') {
    state.transaction = newTransaction(decision.sender, null, null, null);
    return;
  }
  const { tenant, domain, credential, sender } = decision;
  // RFC 1870: refuse a declared size now rather than after the client has sent it all.
  const declared = Number(address.args ? address.args.SIZE : undefined);
  if (Number.isFinite(declared) && checkMessageSize(tenant, declared) !== null) {
    throw refuse(ctx, state, 'mail', 'message_too_large', { tenantId: tenant.id, domainId: domain.id, size: declared });
  }
  state.transaction = newTransaction(sender, tenant.id, domain.id, credential.id);
}

/** A new MAIL FROM (or RSET then MAIL) ends the previous transaction: its reserved quota is given back. */
async function abandonTransaction(ctx: RelayContext, state: ConnectionState): Promise<void> {
  const previous = state.transaction;
  state.transaction = null;
  if (previous !== null && previous.reservations.length > 0) await ctx.quota.release(previous.reservations);
}

function newTransaction(
  sender: EmailAddress | null,
  tenantId: string | null,
  domainId: string | null,
  credentialId: string | null,
): TransactionState {
  return { sender, tenantId, domainId, credentialId, recipients: [], reservations: [], report: null, returnTo: null, inboundUsage: null };
}
