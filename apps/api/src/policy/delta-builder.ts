import type { PolicyEntity, PrismaClient } from '@smarthost/db';
import {
  deleteChange,
  type PolicyChange,
  type PolicyDelta,
  type PolicyEntityKind,
  POLICY_SCHEMA_VERSION,
  policyDeltaSchema,
} from '@smarthost/relay-policy';
import { documentsByIdQuery } from './policy-documents';

/**
 * Most entities one delta carries. A node far behind gets several deltas in a row (each ending at the version of
 * its last change) instead of one unbounded response.
 */
export const MAX_DELTA_CHANGES = 5_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface ChangedEntity {
  entity: PolicyEntity;
  entityId: string;
  version: bigint;
}

/**
 * The changes after `fromVersion`: one per changed entity, carrying the entity's current state, or a delete when it
 * no longer exists (or no longer belongs in the policy, like a failed domain). Only the current state matters, so
 * ten edits of one credential are one change. Returns null when nothing changed after `fromVersion`.
 */
export async function buildDelta(prisma: PrismaClient, fromVersion: number): Promise<PolicyDelta | null> {
  const changed = await changedEntities(prisma, fromVersion);
  const last = changed.at(-1);
  if (!last) return null;
  const states = await currentStates(prisma, changed);
  const changes = changed.map(({ entity, entityId }): PolicyChange => {
    const value = states.get(entity)?.get(entityId);
    return value === undefined ? deleteChange(entity, entityId) : ({ kind: entity, op: 'upsert', value } as PolicyChange);
  });
  // Validating here turns a drift between policy-documents.ts and the contract into a 500 at the API instead of a
  // node that refuses the delta and stops syncing.
  return policyDeltaSchema.parse({
    schemaVersion: POLICY_SCHEMA_VERSION,
    fromVersion,
    toVersion: Number(last.version),
    generatedAt: new Date().toISOString(),
    changes,
  });
}

/**
 * Entities changed after `fromVersion`, ordered by their latest change and capped. Cutting the list at an entity's
 * latest version is safe: every entity left out has a change after that version, so the next delta carries it.
 */
async function changedEntities(prisma: PrismaClient, fromVersion: number): Promise<ChangedEntity[]> {
  const groups = await prisma.policyChange.groupBy({
    by: ['entity', 'entityId'],
    where: { version: { gt: BigInt(fromVersion) } },
    _max: { version: true },
    orderBy: { _max: { version: 'asc' } },
    take: MAX_DELTA_CHANGES,
  });
  return groups.map((g) => ({ entity: g.entity, entityId: g.entityId, version: g._max.version ?? 0n }));
}

async function currentStates(prisma: PrismaClient, changed: ChangedEntity[]): Promise<Map<PolicyEntityKind, Map<string, unknown>>> {
  const idsByKind = new Map<PolicyEntityKind, string[]>();
  for (const { entity, entityId } of changed) {
    // An id that is not a UUID cannot name a row; it reads as deleted.
    if (!UUID.test(entityId)) continue;
    const ids = idsByKind.get(entity) ?? [];
    ids.push(entityId);
    idsByKind.set(entity, ids);
  }
  const states = new Map<PolicyEntityKind, Map<string, unknown>>();
  for (const [kind, ids] of idsByKind) {
    const rows = await prisma.$queryRaw<{ id: string; doc: string }[]>(documentsByIdQuery(kind, ids));
    states.set(kind, new Map(rows.map((row) => [row.id, JSON.parse(row.doc) as unknown])));
  }
  return states;
}
