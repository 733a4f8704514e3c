import type { LineFault } from '../data/line-ending-scanner';
import type { DeliveryJob } from '@smarthost/queues';
import { checkInboundQuota, type RefusalCode, type TenantPolicy } from '@smarthost/relay-policy';
import type { Admission } from '../../limits/inbound-meter';
import type { Header } from '../data/headers';
import { refuseData } from '../refuse';
import type { RelayContext } from '../relay-context';
import type { ConnectionState, TransactionState } from '../session-state';

/**
 * The most of a message DATA keeps: the tenant's size limit and, on port 25, what is left of its inbound bytes
 * today and of its backlog as RCPT saw them, so a message that cannot fit is counted while it streams, never
 * buffered (the admission at the end still decides, atomically, against the counts of that moment).
 */
export function readLimit(tenant: TenantPolicy, tx: TransactionState): number {
  const usage = tx.inboundUsage;
  if (usage === null) return tenant.limits.maxMessageBytes;
  const { bytesPerDay, backlogBytes } = tenant.inboundLimits;
  return Math.max(0, Math.min(tenant.limits.maxMessageBytes, bytesPerDay - usage.bytesToday, backlogBytes - usage.backlogBytes));
}

/**
 * Why a message DATA did not keep is refused: a bad line (ending or length), its size (552), or the inbound allowance it did
 * not fit (452).
 */
export function readRefusal(tenant: TenantPolicy, tx: TransactionState, read: { reason: 'too_large' | LineFault; bytes: number }): { code: RefusalCode; detail?: string } {
  if (read.reason !== 'too_large') return { code: read.reason };
  if (read.bytes > tenant.limits.maxMessageBytes || tx.inboundUsage === null) return { code: 'message_too_large' };
  const refusal = checkInboundQuota(tenant.inboundLimits, tx.inboundUsage, read.bytes);
  return refusal === null ? { code: 'inbound_backlog_full' } : { code: refusal.refusal, detail: refusal.detail };
}

/** RFC 5321 §6.3: a message that has passed through more hosts than this is looping; refused, never relayed on. */
export function checkHops(ctx: RelayContext, state: ConnectionState, tx: TransactionState, headers: readonly Header[]): void {
  let hops = 0;
  for (const header of headers) if (header.name === 'received') hops += 1;
  if (hops > ctx.limits.maxReceivedHeaders) throw refuseData(ctx, state, tx, 'too_many_hops', { detail: `${hops} hops` });
}

/** Counts an inbound message against its tenant's day and backlog, or refuses it. */
export async function admitInbound(
  ctx: RelayContext,
  state: ConnectionState,
  tx: TransactionState,
  tenant: TenantPolicy,
  job: DeliveryJob,
): Promise<Admission> {
  let result;
  try {
    result = await ctx.inboundMeter.admit(tenant, { tenantId: tenant.id, messageId: job.messageId, size: job.size });
  } catch (error) {
    ctx.logger.warn({ err: error, sessionId: state.sessionId }, 'inbound counters unavailable');
    throw refuseData(ctx, state, tx, 'storage_unavailable', { size: job.size });
  }
  if (!result.ok) throw refuseData(ctx, state, tx, result.refusal, { size: job.size, detail: result.detail });
  return result.admission;
}

/** The enqueue failed: the admitted message was never stored, so it is no longer counted. */
export async function unadmit(ctx: RelayContext, admission: Admission | null): Promise<void> {
  if (admission === null) return;
  await ctx.inboundMeter
    .unadmit(admission)
    .catch((error: unknown) => ctx.logger.warn({ err: error, messageId: admission.messageId }, 'inbound admission not given back'));
}
