import { decideDmarc, type InboundDmarcMode, type PolicyIndex } from '@smarthost/relay-policy';
import type { SMTPServerSession } from 'smtp-server';
import { authenticateMessage } from '../../inbound-auth/authenticate-message';
import { refuseData } from '../refuse';
import { readHeaders } from './headers';
import type { RelayContext } from '../relay-context';
import type { ConnectionState, TransactionState } from '../session-state';

/**
 * Each DKIM signature (or ARC set) costs a DNS lookup, an RSA verification and, with its own l= or canonicalization,
 * another pass over the body: without a bound one message could carry thousands. Real mail has one to three
 * signatures and an ARC set per forwarding hop.
 */
const MAX_SIGNATURES = 10;

/**
 * The port-25 step of DATA for mail the relay routes on: SPF/DKIM/DMARC/ARC results in an Authentication-Results
 * header (forged ones under our authserv-id removed) and an ARC seal, and the DMARC `p=reject` refusal for a
 * customer domain that enforces it (RFC 7489 §6.6.4, 550 5.7.1 at end of DATA). Returns the message to store.
 */
export async function authenticateInbound(
  ctx: RelayContext,
  state: ConnectionState,
  tx: TransactionState,
  session: SMTPServerSession,
  raw: Buffer,
  policy: PolicyIndex,
): Promise<Buffer> {
  if (signatureCount(raw) > MAX_SIGNATURES) throw refuseData(ctx, state, tx, 'too_many_signatures', { size: raw.length });
  const checked = await authenticateMessage(ctx.inboundAuth, {
    raw,
    clientIp: state.clientIp,
    helo: session.hostNameAppearsAs || '',
    sender: tx.sender?.wire ?? '',
  });
  const refusal = decideDmarc(checked.dmarc, dmarcMode(policy, tx));
  if (refusal !== null) throw refuseData(ctx, state, tx, refusal.refusal, { size: raw.length });
  // Debug: one line per message; a refusal is logged and recorded as an event by refuseData.
  ctx.logger.debug({ sessionId: state.sessionId, tenantId: tx.tenantId, ...checked.summary, forgedRemoved: checked.forgedRemoved }, 'inbound message authenticated');
  return checked.raw;
}

/**
 * One reply answers DATA for every recipient, so a message for several customer domains is only marked when all of
 * them chose to mark; a returned bounce (no tenant) is always enforced.
 */
function dmarcMode(policy: PolicyIndex, tx: TransactionState): InboundDmarcMode {
  const { tenantId } = tx;
  if (tenantId === null) return 'enforce';
  const marks = tx.recipients.every((r) => policy.verifiedDomain(tenantId, r.recipient.domain)?.inboundDmarc === 'mark');
  return marks ? 'mark' : 'enforce';
}

function signatureCount(raw: Buffer): number {
  return readHeaders(raw).filter((h) => h.name === 'dkim-signature' || h.name === 'arc-message-signature').length;
}
