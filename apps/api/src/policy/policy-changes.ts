import type { Prisma } from '@smarthost/db';

export type PolicyEntity = 'tenant' | 'domain' | 'credential' | 'inboundRoute' | 'suppression';

export interface PolicyChangeInput {
  tenantId: string;
  entity: PolicyEntity;
  entityId: string;
  op: 'upsert' | 'delete';
}

/** Advisory lock key that orders writers of the policy change log (an arbitrary constant, unique in this app). */
const POLICY_LOG_LOCK = 0x5e1a7;

/**
 * Versions come from a sequence, so without this two transactions could take versions 10 and 11 and commit 11
 * first: a node that saw 11 would ask for changes after 11 and never see 10. Holding a transaction-scoped lock
 * from taking a version until commit makes commit order equal version order, so a visible version v means every
 * version below v is committed (or rolled back). The lock is held only from here to commit: record the change as
 * the last write of the transaction.
 */
async function lockPolicyLog(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${POLICY_LOG_LOCK}::bigint)`;
}

/**
 * Records that an entity relay nodes care about changed. Call it inside the same transaction as the change itself,
 * so a node can never see a version whose change is not committed, nor a committed change without a version.
 * The new row's id is the new global policy version.
 */
export async function recordPolicyChange(tx: Prisma.TransactionClient, change: PolicyChangeInput): Promise<bigint> {
  await lockPolicyLog(tx);
  const row = await tx.policyChange.create({ data: change, select: { version: true } });
  return row.version;
}

export async function recordPolicyChanges(tx: Prisma.TransactionClient, changes: PolicyChangeInput[]): Promise<void> {
  if (changes.length === 0) return;
  await lockPolicyLog(tx);
  await tx.policyChange.createMany({ data: changes });
}
