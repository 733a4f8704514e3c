import type { PrismaClient } from '@smarthost/db';

export interface RetentionPolicy {
  eventRetentionDays: number;
  rollupRetentionDays: number;
  /** Blocklist check rows: a sweep writes one per monitored target and zone, so they are kept briefly. */
  checkRetentionDays: number;
  /** Rows per DELETE: short statements keep locks and WAL bursts small on a table of hundreds of millions. */
  batchSize?: number;
  now?: Date;
}

export interface RetentionResult {
  eventsDeleted: number;
  rollupsDeleted: number;
  checksDeleted: number;
  webhookEventsDeleted: number;
}

const DEFAULT_BATCH = 10_000;
const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * Processed Stripe event ids only have to outlive Stripe's redelivery of the same event (up to three days), so a
 * month is plenty; without a limit the table grows by every event of every customer forever.
 */
const WEBHOOK_EVENT_RETENTION_DAYS = 30;

/**
 * Deletes raw events, hourly rollups, blocklist checks and processed Stripe event ids older than their retention, a
 * bounded batch per statement.
 */
export async function purgeExpired(prisma: PrismaClient, policy: RetentionPolicy): Promise<RetentionResult> {
  const now = policy.now ?? new Date();
  const batch = policy.batchSize ?? DEFAULT_BATCH;
  const eventCutoff = new Date(now.getTime() - policy.eventRetentionDays * DAY_MS).toISOString();
  const rollupCutoff = new Date(now.getTime() - policy.rollupRetentionDays * DAY_MS).toISOString();
  const checkCutoff = new Date(now.getTime() - policy.checkRetentionDays * DAY_MS).toISOString();
  const eventsDeleted = await inBatches(batch, () =>
    prisma.$executeRaw`
      DELETE FROM delivery_events WHERE id IN (
        SELECT id FROM delivery_events WHERE "occurredAt" < ${eventCutoff}::timestamp(3) LIMIT ${batch})`,
  );
  const rollupsDeleted = await inBatches(batch, () =>
    prisma.$executeRaw`
      DELETE FROM stats_hourly WHERE ctid IN (
        SELECT ctid FROM stats_hourly WHERE hour < ${rollupCutoff}::timestamp(3) LIMIT ${batch})`,
  );
  const checksDeleted = await inBatches(batch, () =>
    prisma.$executeRaw`
      DELETE FROM blacklist_checks WHERE id IN (
        SELECT id FROM blacklist_checks WHERE "checkedAt" < ${checkCutoff}::timestamp(3) LIMIT ${batch})`,
  );
  const webhookCutoff = new Date(now.getTime() - WEBHOOK_EVENT_RETENTION_DAYS * DAY_MS).toISOString();
  const webhookEventsDeleted = await inBatches(batch, () =>
    prisma.$executeRaw`
      DELETE FROM stripe_webhook_events WHERE id IN (
        SELECT id FROM stripe_webhook_events WHERE "processedAt" < ${webhookCutoff}::timestamp(3) LIMIT ${batch})`,
  );
  return { eventsDeleted, rollupsDeleted, checksDeleted, webhookEventsDeleted };
}

async function inBatches(batch: number, deleteSome: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await deleteSome();
    total += deleted;
    if (deleted < batch) return total;
  }
}
