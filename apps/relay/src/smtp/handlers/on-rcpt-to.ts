import { checkInboundQuota, checkMessageSize, decideRcptTo, type InboundUsage, type PolicyIndex, type TenantPolicy } from '@smarthost/relay-policy';
import type { SMTPServerAddress, SMTPServerSession } from 'smtp-server';
import { stateOf } from '../adapt';
import { refuse } from '../refuse';
import type { RelayContext } from '../relay-context';
import { relaySession, type ConnectionState, type TransactionState } from '../session-state';

/**
 * RCPT TO: smtp-server accepts every recipient unless this rejects it, so the whole relay decision lives in
 * `decideRcptTo`. An accepted submission recipient reserves one unit of every quota window atomically.
 */
export async function onRcptTo(ctx: RelayContext, address: SMTPServerAddress, session: SMTPServerSession): Promise<void> {
  const state = stateOf(ctx, session);
  const tx = state.transaction;
  const recipient = address.address;
  if (tx === null) throw new Error('RCPT without a transaction');
  const policy = ctx.policy.current();
  if (policy === null) throw refuse(ctx, state, 'rcpt', 'policy_unavailable', { recipient });
  const decision = decideRcptTo(policy, relaySession(state), recipient, {
    ownHostnames: [ctx.hostname],
    acceptedRecipients: tx.recipients.length,
    maxInboundRecipients: ctx.limits.inboundMaxRecipients,
    feedbackAddress: ctx.feedbackAddress,
    returnPathKeys: ctx.reports.returnPathKeys,
    srs: ctx.srs,
    nullSender: tx.sender === null,
  });
  if (!decision.ok) throw refuse(ctx, state, 'rcpt', decision.refusal, { recipient, detail: decision.detail });
  // smtp-server keeps one entry per address; a repeated RCPT must not reserve quota twice.
  if (tx.recipients.some((r) => r.recipient.normalized === decision.recipient.normalized)) return;
  if (decision.channel === 'report' || decision.channel === 'feedback') {
    // A report is read, not delivered: alone in its transaction (452 makes the client send the rest separately).
    if (tx.recipients.length > 0) throw refuse(ctx, state, 'rcpt', 'too_many_recipients', { recipient });
    // RFC 1870: a client that declared a size above the report cap is told now, before it sends any of it.
    if (declaredSize(session) > ctx.reports.maxBytes) throw refuse(ctx, state, 'rcpt', 'message_too_large', { recipient });
    if (decision.channel === 'report') {
      tx.tenantId = decision.tenant.id;
      tx.domainId = decision.domain.id;
    }
    tx.report = decision.channel === 'report' ? { kind: 'bounce', messageId: decision.messageId, returnPath: decision.returnPath } : { kind: 'complaint' };
    tx.recipients.push({ recipient: decision.recipient, target: null });
    return;
  }
  if (decision.channel === 'returned') {
    // A returned bounce has no tenant and goes to another place than any other recipient: alone in its transaction.
    if (tx.recipients.length > 0) throw refuse(ctx, state, 'rcpt', 'too_many_recipients', { recipient });
    tx.returnTo = decision.originalSender;
    tx.recipients.push({ recipient: decision.recipient, target: null });
    return;
  }
  if (decision.channel === 'inbound') {
    // One message belongs to one tenant; RFC 5321 §4.5.3.1.10: 452 makes the client send the rest separately.
    if (tx.report !== null || tx.returnTo !== null || (tx.tenantId !== null && tx.tenantId !== decision.tenant.id)) {
      throw refuse(ctx, state, 'rcpt', 'too_many_recipients', { recipient });
    }
    if (tx.inboundUsage === null) tx.inboundUsage = await inboundRoom(ctx, state, declaredSize(session), decision.tenant, recipient);
    tx.tenantId = decision.tenant.id;
    tx.domainId = decision.domain.id;
    const { id: routeId, host, port, tlsMode } = decision.route;
    tx.recipients.push({ recipient: decision.recipient, target: { routeId, host, port, tlsMode } });
    return;
  }
  await reserveQuota(ctx, state, tx, policy, recipient);
  tx.recipients.push({ recipient: decision.recipient, target: null });
}

/** The SIZE= parameter of MAIL FROM (RFC 1870), 0 when absent. */
function declaredSize(session: SMTPServerSession): number {
  const args = session.envelope.mailFrom === false ? false : session.envelope.mailFrom.args;
  const size = args === false ? undefined : args.SIZE;
  return typeof size === 'string' && /^\d{1,15}$/.test(size) ? Number(size) : 0;
}

/**
 * The tenant's first recipient in a transaction: refused now (before DATA) when its inbound limits have no room,
 * or none for the size the client declared (RFC 1870).
 */
async function inboundRoom(ctx: RelayContext, state: ConnectionState, declared: number, tenant: TenantPolicy, recipient: string): Promise<InboundUsage> {
  const facts = { recipient, tenantId: tenant.id, size: declared };
  if (checkMessageSize(tenant, declared) !== null) throw refuse(ctx, state, 'rcpt', 'message_too_large', facts);
  let usage: InboundUsage;
  try {
    usage = await ctx.inboundMeter.usage(tenant.id);
  } catch (error) {
    ctx.logger.warn({ err: error, sessionId: state.sessionId }, 'inbound counters unavailable');
    throw refuse(ctx, state, 'rcpt', 'storage_unavailable', facts);
  }
  const full = checkInboundQuota(tenant.inboundLimits, usage, declared);
  if (full !== null) throw refuse(ctx, state, 'rcpt', full.refusal, { ...facts, detail: full.detail });
  return usage;
}

async function reserveQuota(
  ctx: RelayContext,
  state: ConnectionState,
  tx: TransactionState,
  policy: PolicyIndex,
  recipient: string,
): Promise<void> {
  const credential = state.credentialId === null ? undefined : policy.credential(state.credentialId);
  const tenant = credential === undefined ? undefined : policy.tenant(credential.tenantId);
  if (credential === undefined || tenant === undefined) throw refuse(ctx, state, 'rcpt', 'auth_credential_disabled', { recipient });
  let result;
  try {
    result = await ctx.quota.reserve(tenant, credential);
  } catch (error) {
    ctx.logger.warn({ err: error, sessionId: state.sessionId }, 'quota counters unavailable');
    throw refuse(ctx, state, 'rcpt', 'storage_unavailable', { recipient });
  }
  if (!result.ok) throw refuse(ctx, state, 'rcpt', result.refusal, { recipient });
  tx.reservations.push(result.reservation);
}
