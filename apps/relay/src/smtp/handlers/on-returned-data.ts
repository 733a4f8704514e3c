import { newMessageId, type DeliveryJob } from '@smarthost/queues';
import type { SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { acceptedEvent } from '../../events/relay-events';
import { authenticateInbound } from '../data/authenticate-inbound';
import { readHeaders, summarize } from '../data/headers';
import { readMessage } from '../data/read-message';
import { sessionReceivedHeader } from '../data/received-header';
import { refuseData } from '../refuse';
import type { RelayContext } from '../relay-context';
import type { ConnectionState, TransactionState } from '../session-state';

/**
 * A bounce carries the original's headers and at most a part of its body (Postfix 50 kB, Exim 100 kB). No tenant
 * pays for it, so it gets a fixed bound rather than a plan's message size.
 */
const MAX_RETURNED_BYTES = 1024 * 1024;

/**
 * DATA of a bounce to an SRS address we made: checked like any port-25 mail, then queued to the original sender with
 * the null reverse-path (RFC 5321 §4.5.5), so it can never cause another bounce.
 */
export async function acceptReturned(
  ctx: RelayContext,
  state: ConnectionState,
  tx: TransactionState,
  returnTo: string,
  stream: SMTPServerDataStream,
  session: SMTPServerSession,
): Promise<string> {
  const read = await readMessage(stream, MAX_RETURNED_BYTES);
  const policy = ctx.policy.current();
  if (policy === null) throw refuseData(ctx, state, tx, 'policy_unavailable');
  if (!read.ok) throw refuseData(ctx, state, tx, read.reason === 'too_large' ? 'message_too_large' : 'bare_line_ending', { size: read.bytes });
  const checked = await authenticateInbound(ctx, state, tx, session, read.raw, policy);
  const job = returnedJob(ctx, state, session, returnTo, checked);
  try {
    await ctx.messages.enqueue(job, acceptedEvent(job, summarize(readHeaders(read.raw))));
  } catch (error) {
    ctx.logger.error({ err: error, sessionId: state.sessionId, messageId: job.messageId }, 'enqueue failed');
    throw refuseData(ctx, state, tx, 'storage_unavailable', { size: job.size });
  }
  ctx.logger.info({ messageId: job.messageId, sessionId: state.sessionId, size: job.size }, 'bounce to an SRS address queued to the original sender');
  return `2.0.0 OK queued as ${job.messageId}`;
}

function returnedJob(ctx: RelayContext, state: ConnectionState, session: SMTPServerSession, returnTo: string, raw: Buffer): DeliveryJob {
  const at = new Date();
  const messageId = newMessageId(at.getTime());
  const trace = sessionReceivedHeader(session, { clientIp: state.clientIp, hostname: ctx.hostname, messageId, recipient: null, at });
  const message = Buffer.concat([Buffer.from(trace, 'latin1'), raw]);
  return {
    messageId,
    direction: 'returned',
    tenantId: null,
    domainId: null,
    credentialId: null,
    mailFrom: '',
    recipients: [{ address: returnTo, target: null }],
    raw: message.toString('latin1'),
    size: message.length,
    receivedAt: at.toISOString(),
    relayNode: ctx.hostname,
    clientIp: state.clientIp,
  };
}
