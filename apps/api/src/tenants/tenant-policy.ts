import type { Prisma, TenantStatus } from '@smarthost/db';
import { recordPolicyChange } from '../policy/policy-changes';
import type { LimitOverrides } from './limits';

export interface TenantPolicyUpdate {
  status?: TenantStatus;
  statusReason?: string | null;
  planId?: string;
  overrides?: Partial<LimitOverrides>;
}

/**
 * The one way to change what relays enforce for a tenant (status, plan, limit overrides): the update and its policy
 * version are written in the caller's transaction, so relay nodes see the change within one policy pull.
 * Billing (plan changes) and operator tooling (suspension) call this; members cannot reach it.
 */
export async function updateTenantPolicy(tx: Prisma.TransactionClient, tenantId: string, update: TenantPolicyUpdate) {
  const o = update.overrides ?? {};
  const tenant = await tx.tenant.update({
    where: { id: tenantId },
    data: {
      status: update.status,
      statusReason: update.status === 'active' ? null : update.statusReason,
      planId: update.planId,
      messagesPerDayOverride: o.messagesPerDay,
      messagesPerMonthOverride: o.messagesPerMonth,
      messagesPerMinuteOverride: o.messagesPerMinute,
      recipientsPerMessageOverride: o.recipientsPerMessage,
      maxMessageBytesOverride: o.maxMessageBytes,
    },
  });
  await recordPolicyChange(tx, { tenantId, entity: 'tenant', entityId: tenantId, op: 'upsert' });
  return tenant;
}
