import type { PrismaClient } from '@smarthost/db';
import { updateTenantPolicy } from '../tenants/tenant-policy';
import { pauseReason, type PauseRules, smallestSample } from './pause-rules';
import { recentOutcomes, type TenantOutcomes } from './recent-outcomes';

export interface PausedTenant extends TenantOutcomes {
  reason: string;
}

/**
 * Pauses every active tenant whose bounce or complaint rate over the last 24 hours (recentOutcomes) breaks a rule, as an
 * operator would: the relays refuse its mail with `451 4.7.1` and the reason within about a second, and the pause is
 * audited.
 */
export async function guardReputation(prisma: PrismaClient, rules: PauseRules, now = new Date()): Promise<PausedTenant[]> {
  if (rules.bounceRate <= 0 && rules.complaintRate <= 0) return [];
  const paused: PausedTenant[] = [];
  for (const outcomes of await recentOutcomes(prisma, { now, minMessages: smallestSample(rules) })) {
    const reason = pauseReason(outcomes, rules);
    if (reason && (await pause(prisma, outcomes, reason))) paused.push({ ...outcomes, reason });
  }
  return paused;
}

/** Pauses the tenant unless something else changed its status since it was read; true when this call paused it. */
async function pause(prisma: PrismaClient, outcomes: TenantOutcomes, reason: string): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ status: string }[]>`SELECT status FROM tenants WHERE id = ${outcomes.tenantId}::uuid FOR UPDATE`;
    if (locked[0]?.status !== 'active') return false;
    await updateTenantPolicy(tx, outcomes.tenantId, { status: 'paused', statusReason: reason });
    await tx.auditLog.create({
      data: {
        tenantId: outcomes.tenantId,
        action: 'tenant.status_changed',
        targetType: 'tenant',
        targetId: outcomes.tenantId,
        metadata: { by: 'reputation', status: 'paused', reason, delivered: outcomes.delivered, bounced: outcomes.bounced, complained: outcomes.complained },
      },
    });
    return true;
  });
}
