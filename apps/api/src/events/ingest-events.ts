import type { PrismaClient } from '@smarthost/db';
import type { Logger } from '@smarthost/logger';
import type { RelayEvent } from '@smarthost/queues';
import { recordPolicyChanges } from '../policy/policy-changes';
import { eventRows, idsToLookUp, resolveEvents } from './event-rows';
import { planIngest } from './ingest-plan';
import { keepKnownReports } from './known-reports';
import {
  applyRecipientOutcomes,
  applyStats,
  applyUsage,
  insertEvents,
  insertPlaceholderMessages,
  insertQueuedRecipients,
  lookUp,
  refreshMessageStatus,
  upsertAcceptedMessages,
} from './ingest-sql';

export interface IngestDeps {
  prisma: PrismaClient;
  logger: Logger;
}

export interface IngestResult {
  /** delivery_events rows written (an event has one row per recipient). */
  inserted: number;
  /** Rows already stored by an earlier ingest of the same events. */
  duplicates: number;
  withoutTenant: number;
  unknownTenant: number;
  suppressionsAdded: number;
}

// A batch of 500 events with many recipients writes tens of thousands of rows; Prisma's 5 s default is too tight.
const TRANSACTION_TIMEOUT_MS = 60_000;

/**
 * Stores a batch of events in ONE transaction: the raw events, and — from the newly inserted ones only, so a
 * re-ingested batch changes nothing — messages, recipients, hourly stats, usage and suppressions (hard bounces,
 * complaints).
 * The suppression's policy change is recorded in the same transaction, so relays refuse the address from the
 * policy version that also carries it.
 */
export async function ingestEvents(deps: IngestDeps, batch: readonly RelayEvent[]): Promise<IngestResult> {
  // The same event twice in one batch (a replayed delivery attempt while the ingest is behind) would pass the
  // "newly inserted" filter twice and be counted twice.
  const events = [...new Map(batch.map((event) => [event.eventId, event])).values()];
  const result = await deps.prisma.$transaction(async (tx) => {
    const { kept, dropped } = await keepKnownReports(tx, events);
    const { resolved, withoutTenant, unknownTenant } = resolveEvents(kept, await lookUp(tx, idsToLookUp(kept)));
    const rows = resolved.flatMap(eventRows);
    const newKeys = await insertEvents(tx, rows);
    const plan = planIngest(rows.filter((row) => newKeys.has(row.eventKey)));
    await applyStats(tx, plan.stats);
    await applyUsage(tx, plan.usage);
    await upsertAcceptedMessages(tx, plan.acceptedMessages);
    await insertPlaceholderMessages(tx, plan.placeholderMessages);
    await insertQueuedRecipients(tx, plan.queuedRecipients);
    await applyRecipientOutcomes(tx, plan.recipientOutcomes);
    await refreshMessageStatus(tx, plan.touchedMessageIds);
    const suppressed = await tx.suppression.createManyAndReturn({
      data: plan.suppressions,
      skipDuplicates: true,
      select: { id: true, tenantId: true },
    });
    // Last write of the transaction: it takes the policy-log lock, held until commit.
    await recordPolicyChanges(tx, suppressed.map((s) => ({ tenantId: s.tenantId, entity: 'suppression' as const, entityId: s.id, op: 'upsert' as const })));
    return {
      inserted: newKeys.size,
      duplicates: rows.length - newKeys.size,
      withoutTenant: withoutTenant.length,
      unknownTenant: unknownTenant.map((e) => e.eventId),
      suppressionsAdded: suppressed.length,
      probes: withoutTenant,
      unknownReports: dropped.map((e) => e.eventId),
    };
  }, { timeout: TRANSACTION_TIMEOUT_MS });
  logOutcome(deps.logger, result);
  const { inserted, duplicates, withoutTenant, suppressionsAdded } = result;
  return { inserted, duplicates, withoutTenant, unknownTenant: result.unknownTenant.length, suppressionsAdded };
}

function logOutcome(logger: Logger, result: { withoutTenant: number; unknownTenant: string[]; probes: RelayEvent[]; unknownReports: string[] }): void {
  // Refusals before a tenant was known (open-relay probes) have no tenant to store them under: counted here only.
  if (result.withoutTenant > 0) {
    const byCode: Record<string, number> = {};
    for (const probe of result.probes) byCode[probe.code ?? probe.type] = (byCode[probe.code ?? probe.type] ?? 0) + 1;
    logger.info({ count: result.withoutTenant, byCode }, 'events without tenant (not stored)');
  }
  if (result.unknownReports.length > 0) {
    logger.warn({ count: result.unknownReports.length, eventIds: result.unknownReports.slice(0, 20) }, 'bounce reports about no recipient we sent to dropped');
  }
  if (result.unknownTenant.length > 0) {
    logger.warn({ count: result.unknownTenant.length, eventIds: result.unknownTenant.slice(0, 20) }, 'events for an unknown tenant dropped');
  }
}
