import { Prisma, type PrismaClient } from '@smarthost/db';
import type { Outcomes } from './pause-rules';

const WINDOW_MS = 24 * 60 * 60 * 1000;

export interface TenantOutcomes extends Outcomes {
  tenantId: string;
}

export interface OutcomeQuery {
  now: Date;
  /** One tenant (its own view), or every active tenant with at least `minMessages` (the guard). */
  tenantId?: string;
  minMessages?: number;
}

/**
 * Delivered, bounced and complained counts per tenant over the last 24 hours, from the hourly rollups. Only whole hours after a
 * tenant's last status change count, so a tenant an operator has just resumed is judged on what it sends from then
 * on, not on the bounces that paused it.
 */
export async function recentOutcomes(prisma: PrismaClient, query: OutcomeQuery): Promise<TenantOutcomes[]> {
  const since = new Date(query.now.getTime() - WINDOW_MS).toISOString();
  const scope =
    query.tenantId === undefined ? Prisma.sql`t.status = 'active'` : Prisma.sql`s."tenantId" = ${query.tenantId}::uuid`;
  const rows = await prisma.$queryRaw<{ tenantId: string; delivered: bigint; bounced: bigint; complained: bigint }[]>`
    SELECT s."tenantId", sum(s.delivered) AS delivered, sum(s.bounced) AS bounced, sum(s.complained) AS complained
    FROM stats_hourly s JOIN tenants t ON t.id = s."tenantId"
    WHERE ${scope}
      AND s.hour >= ${since}::timestamp(3)
      AND s.hour >= coalesce(
        (SELECT date_trunc('hour', max(a."createdAt")) + interval '1 hour' FROM audit_logs a
          WHERE a."tenantId" = s."tenantId" AND a.action = 'tenant.status_changed'),
        ${since}::timestamp(3))
    GROUP BY s."tenantId"
    HAVING sum(s.delivered + s.bounced) >= ${query.minMessages ?? 0}`;
  return rows.map((row) => ({
    tenantId: row.tenantId,
    delivered: Number(row.delivered),
    bounced: Number(row.bounced),
    complained: Number(row.complained),
  }));
}
