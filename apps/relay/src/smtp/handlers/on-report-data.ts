import type { RelayEvent } from '@smarthost/queues';
import { parseAddress, resolveReturnPath, type PolicyIndex } from '@smarthost/relay-policy';
import type { SMTPServerDataStream } from 'smtp-server';
import { parseArf } from '../../reports/parse-arf';
import { parseDsn } from '../../reports/parse-dsn';
import { bounceEvents, complaintEvent, type ReportFacts } from '../../reports/report-events';
import { readMessage } from '../data/read-message';
import { refuseData } from '../refuse';
import type { RelayContext } from '../relay-context';
import type { ConnectionState, TransactionState } from '../session-state';

/**
 * A bounce is a few kB (Postfix returns at most 50 kB of the original, Exim 100 kB), but a complaint usually carries
 * the whole original message. Marketing mail is far below this; a complaint about a bigger message is refused
 * (552) rather than held in memory from an unauthenticated client.
 */
const MAX_REPORT_BYTES = 10 * 1024 * 1024;

/**
 * Feedback types that mean "this recipient did not want this mail" (RFC 5965 §7.3). `not-spam` (RFC 6430) says the
 * opposite and `auth-failure` (RFC 6591) is about authentication, not the recipient: neither suppresses anyone.
 */
const COMPLAINT_TYPES = new Set(['abuse', 'fraud', 'virus']);

type Report = NonNullable<TransactionState['report']>;

/**
 * DATA of a report: its findings become events, stored before the 250. A report that names nothing the relay can act
 * on (a delay notice, a redacted complaint, something unreadable) is accepted and dropped: answering a report with a
 * bounce would only start a loop (RFC 3464 §6.2).
 */
export async function acceptReport(ctx: RelayContext, state: ConnectionState, tx: TransactionState, report: Report, stream: SMTPServerDataStream): Promise<string> {
  const read = await readMessage(stream, MAX_REPORT_BYTES);
  const policy = ctx.policy.current();
  if (policy === null) throw refuseData(ctx, state, tx, 'policy_unavailable');
  if (!read.ok) throw refuseData(ctx, state, tx, read.reason === 'too_large' ? 'message_too_large' : 'bare_line_ending', { size: read.bytes });
  const base = { node: ctx.hostname, clientIp: state.clientIp, size: read.raw.length };
  const events = report.kind === 'bounce' ? await bounceReport(tx, report.messageId, read.raw, base) : await complaintReport(policy, read.raw, base);
  if (events.length > 0) {
    try {
      await ctx.events.store(events);
    } catch (error) {
      ctx.logger.error({ err: error, sessionId: state.sessionId }, 'report events not stored');
      throw refuseData(ctx, state, tx, 'storage_unavailable', { size: read.raw.length });
    }
  }
  ctx.logger.info({ kind: report.kind, sessionId: state.sessionId, events: events.length, tenantId: events[0]?.tenantId ?? null }, 'report received');
  return '2.0.0 OK report received';
}

type Base = Omit<ReportFacts, 'tenantId' | 'domainId' | 'messageId'>;

async function bounceReport(tx: TransactionState, messageId: string, raw: Buffer, base: Base): Promise<RelayEvent[]> {
  if (!tx.tenantId || !tx.domainId) throw new Error('bounce report without its tenant');
  return bounceEvents(await parseDsn(raw), { ...base, tenantId: tx.tenantId, domainId: tx.domainId, messageId });
}

/**
 * A complaint names the message by the return path the receiving server recorded for it, which the relay made
 * (VERP): the sent message and the tenant whose verified domain it went out for.
 */
async function complaintReport(policy: PolicyIndex, raw: Buffer, base: Base): Promise<RelayEvent[]> {
  const complaint = await parseArf(raw);
  if (complaint?.recipient == null || complaint.returnPath === null || !COMPLAINT_TYPES.has(complaint.feedbackType)) return [];
  const parsed = parseAddress(complaint.returnPath);
  const returnPath = parsed.ok ? resolveReturnPath(policy, parsed.address) : null;
  if (!returnPath?.ok) return [];
  const { messageId, tenant, domain } = returnPath.sent;
  const facts = { ...base, tenantId: tenant.id, domainId: domain.id, messageId };
  return [complaintEvent({ ...complaint, recipient: complaint.recipient }, facts)];
}
