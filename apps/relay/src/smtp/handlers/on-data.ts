import { newMessageId, type DeliveryJob } from '@smarthost/queues';
import {
  checkFromAlignment,
  resolveSubmitter,
  tenantStatusRefusal,
  type PolicyIndex,
  type TenantPolicy,
} from '@smarthost/relay-policy';
import type { SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { acceptedEvent } from '../../events/relay-events';
import { stateOf } from '../adapt';
import { readHeaders, summarize, type Header } from '../data/headers';
import type { LineRules } from '../data/line-ending-scanner';
import { addMissingHeaders } from '../data/missing-headers';
import { readMessage } from '../data/read-message';
import { sessionReceivedHeader } from '../data/received-header';
import { refuseData } from '../refuse';
import { admitInbound, checkHops, readLimit, readRefusal, unadmit } from './inbound-data';
import { acceptReport } from './on-report-data';
import { acceptReturned } from './on-returned-data';
import { authenticateInbound } from '../data/authenticate-inbound';
import type { RelayContext } from '../relay-context';
import type { ConnectionState, TransactionState } from '../session-state';

/** Submission (always authenticated at DATA): bare LF normalised, lines within RFC 5322 §2.1.1. */
const SUBMISSION_LINES: LineRules = { normaliseBareLf: true, maxLineLength: 998 };

/**
 * DATA: read (bounded, scanned for smuggling), check the From: header, store durably, and only then 250.
 * Whatever fails, the transaction's quota reservations are given back and nothing stays half-accepted.
 */
export async function onData(ctx: RelayContext, stream: SMTPServerDataStream, session: SMTPServerSession): Promise<string> {
  const state = stateOf(ctx, session);
  const tx = state.transaction;
  if (tx === null) throw new Error('DATA without a transaction');
  // The transaction ends here whatever happens; reservations are released unless the message is stored.
  state.transaction = null;
  try {
    return await acceptMessage(ctx, state, tx, stream, session);
  } catch (error) {
    await ctx.quota.release(tx.reservations).catch((releaseError: unknown) =>
      ctx.logger.warn({ err: releaseError, sessionId: state.sessionId }, 'quota release failed'),
    );
    throw error;
  }
}

async function acceptMessage(
  ctx: RelayContext,
  state: ConnectionState,
  tx: TransactionState,
  stream: SMTPServerDataStream,
  session: SMTPServerSession,
): Promise<string> {
  if (tx.report !== null) return acceptReport(ctx, state, tx, tx.report, stream);
  if (tx.returnTo !== null) return acceptReturned(ctx, state, tx, tx.returnTo, stream, session);
  const policy = ctx.policy.current();
  const tenant = policy === null || tx.tenantId === null ? undefined : policy.tenant(tx.tenantId);
  // Read the stream even when refusing: smtp-server answers only once it has ended.
  const read = await readMessage(stream, tenant === undefined ? 1 : readLimit(tenant, tx), state.listener === 'inbound' ? undefined : SUBMISSION_LINES);
  if (policy === null || tenant === undefined) throw refuseData(ctx, state, tx, 'policy_unavailable');
  if (!read.ok) {
    const { code, detail } = readRefusal(tenant, tx, read);
    throw refuseData(ctx, state, tx, code, { size: read.bytes, detail });
  }
  const headers = readHeaders(read.raw);
  checkHops(ctx, state, tx, headers);
  if (state.listener !== 'inbound') {
    // A credential revoked or a tenant suspended while the message was streaming stops it here.
    const submitter = resolveSubmitter(policy, { channel: 'submission', clientIp: state.clientIp, credentialId: state.credentialId });
    if (!submitter.ok) throw refuseData(ctx, state, tx, submitter.refusal, { size: read.raw.length });
    const status = tenantStatusRefusal(submitter.tenant);
    if (status !== null) throw refuseData(ctx, state, tx, status.refusal, { detail: status.detail });
    checkFrom(ctx, state, tx, policy, tenant, headers);
  }
  const message = state.listener === 'inbound' ? await authenticateInbound(ctx, state, tx, session, read.raw, policy) : read.raw;
  const job = buildJob(ctx, state, tx, session, { raw: message, headers }, tenant);
  const admission = job.direction === 'inbound' ? await admitInbound(ctx, state, tx, tenant, job) : null;
  try {
    // The delivery job and its accepted event, in one round trip (see MessageStore).
    await ctx.messages.enqueue(job, acceptedEvent(job, summarize(headers)));
  } catch (error) {
    await unadmit(ctx, admission);
    ctx.logger.error({ err: error, sessionId: state.sessionId, messageId: job.messageId }, 'enqueue failed');
    throw refuseData(ctx, state, tx, 'storage_unavailable', { size: job.size });
  }
  // Debug, not info: one line per message in the hot path; the accepted event is the record of every message.
  ctx.logger.debug(
    { messageId: job.messageId, tenantId: job.tenantId, credentialId: job.credentialId, recipients: job.recipients.length, size: job.size },
    'message queued',
  );
  return `2.0.0 OK queued as ${job.messageId}`;
}

/** DMARC alignment (RFC 7489 §3.1): exactly one From: whose domain aligns with the envelope sender's. */
function checkFrom(
  ctx: RelayContext,
  state: ConnectionState,
  tx: TransactionState,
  policy: PolicyIndex,
  tenant: TenantPolicy,
  headers: Header[],
): void {
  const froms = headers.filter((h) => h.name === 'from');
  const sender = tx.sender;
  if (sender === null) throw refuseData(ctx, state, tx, 'from_misaligned', { detail: 'null sender' });
  if (froms.length !== 1) {
    throw refuseData(ctx, state, tx, 'from_misaligned', { detail: froms.length === 0 ? 'no From header' : 'several From headers' });
  }
  const owns = (domain: string) => policy.verifiedDomain(tenant.id, domain) !== undefined;
  const decision = checkFromAlignment(sender.domain, froms[0]?.value ?? '', owns);
  if (!decision.ok) throw refuseData(ctx, state, tx, decision.refusal, { detail: decision.detail });
}

function buildJob(
  ctx: RelayContext,
  state: ConnectionState,
  tx: TransactionState,
  session: SMTPServerSession,
  { raw, headers }: { raw: Buffer; headers: Header[] },
  tenant: TenantPolicy,
): DeliveryJob {
  // The job is not re-parsed with its zod schema before the add (the worker validates it where it is consumed), so
  // the facts the types cannot prove are checked here: a bug must answer 4xx (450), never queue a job to dead-letter.
  const { tenantId, domainId, credentialId } = tx;
  if (!tenantId || !domainId || tx.recipients.length === 0 || (state.listener !== 'inbound' && !credentialId)) {
    throw new Error('DATA with an incomplete envelope');
  }
  const mailFrom = tx.sender?.wire ?? '';
  const at = new Date();
  const messageId = newMessageId(at.getTime());
  const only = tx.recipients.length === 1 ? (tx.recipients[0]?.recipient.wire ?? null) : null;
  const trace = sessionReceivedHeader(session, { clientIp: state.clientIp, hostname: ctx.hostname, messageId, recipient: only, at });
  const added = state.listener === 'inbound' ? '' : addMissingHeaders(headers, { at, messageId, hostname: ctx.hostname });
  const message = Buffer.concat([Buffer.from(trace + added, 'latin1'), raw]);
  const envelope = {
    messageId,
    tenantId,
    domainId,
    mailFrom,
    recipients: tx.recipients.map((r) => ({ address: r.recipient.wire, target: r.target })),
    raw: message.toString('latin1'),
    size: message.length,
    receivedAt: at.toISOString(),
    relayNode: ctx.hostname,
    clientIp: state.clientIp,
  };
  // Object.assign, not a spread: a spread copies every field into a new object, ~3 us a message here.
  return state.listener === 'inbound'
    ? Object.assign(envelope, { direction: 'inbound', credentialId: null } as const)
    : // A message with the null sender never asks for a bounce notice (RFC 3464 §6.2; the job schema refuses it).
      Object.assign(envelope, { direction: 'outbound', credentialId: credentialId ?? '', bounceNotice: tenant.bounceNotices && mailFrom !== '' } as const);
}
