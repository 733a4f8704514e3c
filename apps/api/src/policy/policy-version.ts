import type { Prisma } from '@smarthost/db';

type Db = Pick<Prisma.TransactionClient, 'policyChange'>;

/** The global policy version: the newest committed change (0 before the first one). */
export async function currentPolicyVersion(db: Db): Promise<number> {
  const result = await db.policyChange.aggregate({ _max: { version: true } });
  return Number(result._max.version ?? 0n);
}

/** The oldest change still in the log, or null when it is empty; older versions cannot be caught up by deltas. */
export async function oldestPolicyVersion(db: Db): Promise<number | null> {
  const result = await db.policyChange.aggregate({ _min: { version: true } });
  return result._min.version === null ? null : Number(result._min.version);
}
