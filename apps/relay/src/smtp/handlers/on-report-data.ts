import type { RelayEvent } from '@smarthost/queues';
import { parseAddress, resolveReturnPath, returnPathCovers, type PolicyIndex } from '@smarthost/relay-policy';
import type { SMTPServerDataStream } from 'smtp-server';
import { parseArf } from '../../reports/parse-arf';
import { parseDsn } from '../../reports/parse-dsn';
import { checkProviderSignature } from '../../reports/provider-signature';
import { bounceEvents, complaintEvent, type ReportFacts } from '../../reports/report-events';
import { readMessage } from '../data/read-message';
import { refuseData } from '../refuse';
import type { RelayContext, ReportSettings } from '../relay-context';
import type { ConnectionState, TransactionState } from '../session-state';

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
  // Counted while it streams: past the cap nothing more is kept, and the report is refused once DATA ends.
  const read = await readMessage(stream, ctx.reports.maxBytes);
  const policy = ctx.policy.current();
  if (policy === null) throw refuseData(ctx, state, tx, 'policy_unavailable');
  if (!read.ok) throw refuseData(ctx, state, tx, read.reason === 'too_large' ? 'message_too_large' : read.reason, { size: read.bytes });
  const base = { node: ctx.hostname, clientIp: state.clientIp, size: read.raw.length };
  const found = report.kind === 'bounce' ? await bounceReport(ctx.reports, tx, report, read.raw, base) : await complaintReport(ctx.reports, policy, read.raw, base);
  if (found === 'unavailable') throw refuseData(ctx, state, tx, 'report_check_unavailable', { size: read.raw.length });
  const { events, ignored } = found;
  if (events.length > 0) {
    try {
      await ctx.events.store(events);
    } catch (error) {
      ctx.logger.error({ err: error, sessionId: state.sessionId }, 'report events not stored');
      throw refuseData(ctx, state, tx, 'storage_unavailable', { size: read.raw.length });
    }
  }
  const tenantId = events[0]?.tenantId ?? null;
  ctx.logger.info({ kind: report.kind, sessionId: state.sessionId, events: events.length, types: events.map((e) => e.type), ignored, tenantId }, 'report received');
  return '2.0.0 OK report received';
}

type Base = Omit<ReportFacts, 'tenantId' | 'domainId' | 'messageId'>;
/** The events a report gives, and why a part of it was left out (for the log), or 'unavailable' to answer 4xx. */
type Findings = { events: RelayEvent[]; ignored: string | null } | 'unavailable';

/**
 * A bounce speaks only for recipients at the destination its return path was signed for: a recipient at one
 * domain, who sees that address, cannot report recipients at another as bounced (ADR 0006).
 */
async function bounceReport(settings: ReportSettings, tx: TransactionState, report: Extract<Report, { kind: 'bounce' }>, raw: Buffer, base: Base): Promise<Findings> {
  if (!tx.tenantId || !tx.domainId) throw new Error('bounce report without its tenant');
  const now = Date.now();
  const failures = await parseDsn(raw);
  const covered = failures.filter((failure) => returnPathCovers(settings.returnPathKeys, report.returnPath, domainOf(failure.recipient), now));
  const ignored = covered.length < failures.length ? `${failures.length - covered.length} recipients at another destination` : null;
  return { events: bounceEvents(covered, { ...base, tenantId: tx.tenantId, domainId: tx.domainId, messageId: report.messageId }), ignored };
}

/**
 * A complaint names the message by the return path the receiving server recorded for it, which the relay made and
 * signed (VERP): the sent message and the tenant whose verified domain it went out for. It counts only when a
 * configured feedback loop signed the report; any other is kept as unverified.
 */
async function complaintReport(settings: ReportSettings, policy: PolicyIndex, raw: Buffer, base: Base): Promise<Findings> {
  const complaint = await parseArf(raw);
  if (complaint?.recipient == null || complaint.returnPath === null || !COMPLAINT_TYPES.has(complaint.feedbackType)) {
    return { events: [], ignored: 'not a complaint about a named recipient' };
  }
  const parsed = parseAddress(complaint.returnPath);
  const now = Date.now();
  const returnPath = parsed.ok ? resolveReturnPath(policy, parsed.address, settings.returnPathKeys, now) : null;
  if (returnPath === null || !returnPath.ok) return { events: [], ignored: 'not about a message the relay sent' };
  const { messageId, tenant, domain } = returnPath.sent;
  if (!returnPathCovers(settings.returnPathKeys, returnPath.sent.returnPath, domainOf(complaint.recipient), now)) {
    return { events: [], ignored: 'recipient at another destination than the return path' };
  }
  const signature = await checkProviderSignature(raw, settings.signature);
  if (signature.kind === 'unavailable') return 'unavailable';
  const facts = { ...base, tenantId: tenant.id, domainId: domain.id, messageId };
  const origin = signature.kind === 'verified' ? { verifiedBy: signature.signingDomain } : { unverified: signature.reason };
  return { events: [complaintEvent({ ...complaint, recipient: complaint.recipient }, facts, origin)], ignored: null };
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}
