import type { PrismaClient } from '@smarthost/db';
import { updateTenantPolicy } from '../tenants/tenant-policy';
import { type BounceRule, bouncePauseReason, type Outcomes } from './bounce-rate';

const WINDOW_MS = 24 * 60 * 60 * 1000;

export interface PausedTenant extends Outcomes {
  tenantId: string;
  reason: string;
}

interface TenantOutcomes extends Outcomes {
  tenantId: string;
}

/**
 * Pauses every active tenant whose bounce rate over the last 24 hours breaks the rule, as an operator would: the
 * relays refuse its mail with `451 4.7.1` and the reason within about a second, and the pause is audited. Only whole
 * hours after a tenant's last status change count, so a tenant an operator has just resumed is judged on what it
 * sends from then on, not paused again for the bounces that paused it.
 */
export async function guardReputation(prisma: PrismaClient, rule: BounceRule, now = new Date()): Promise<PausedTenant[]> {
  if (rule.pauseRate <= 0) return [];
  const paused: PausedTenant[] = [];
  for (const outcomes of await recentOutcomes(prisma, rule.minMessages, now)) {
    const reason = bouncePauseReason(outcomes, rule);
    if (reason && (await pause(prisma, outcomes, reason))) paused.push({ ...outcomes, reason });
  }
  return paused;
}

async function recentOutcomes(prisma: PrismaClient, minMessages: number, now: Date): Promise<TenantOutcomes[]> {
  const since = new Date(now.getTime() - WINDOW_MS).toISOString();
  const rows = await prisma.$queryRaw<{ tenantId: string; delivered: bigint; bounced: bigint }[]>`
    SELECT s."tenantId", sum(s.delivered) AS delivered, sum(s.bounced) AS bounced
    FROM stats_hourly s JOIN tenants t ON t.id = s."tenantId"
    WHERE t.status = 'active'
      AND s.hour >= ${since}::timestamp(3)
      AND s.hour >= coalesce(
        (SELECT date_trunc('hour', max(a."createdAt")) + interval '1 hour' FROM audit_logs a
          WHERE a."tenantId" = s."tenantId" AND a.action = 'tenant.status_changed'),
        ${since}::timestamp(3))
    GROUP BY s."tenantId"
    HAVING sum(s.delivered + s.bounced) >= ${minMessages}`;
  return rows.map((row) => ({ tenantId: row.tenantId, delivered: Number(row.delivered), bounced: Number(row.bounced) }));
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
        metadata: { by: 'reputation', status: 'paused', reason, delivered: outcomes.delivered, bounced: outcomes.bounced },
      },
    });
    return true;
  });
}
