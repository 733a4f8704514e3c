import type { PrismaClient } from '@smarthost/db';

export interface CredentialUse {
  credentialId: string;
  at: Date;
  ip: string;
}

/**
 * Records what relay nodes report in their heartbeat (each credential at most once per beat): one statement for
 * the whole list. A report never moves "last used" back (nodes report out of order) nor past the API's clock (a
 * node's clock may run ahead), and it is not an edit: `updatedAt` and the policy version stay as they are.
 */
export async function recordCredentialUses(prisma: PrismaClient, uses: readonly CredentialUse[], now = new Date()): Promise<void> {
  if (uses.length === 0) return;
  const ids = uses.map((use) => use.credentialId);
  const times = uses.map((use) => new Date(Math.min(use.at.getTime(), now.getTime())).toISOString());
  const ips = uses.map((use) => use.ip);
  // Prisma's DateTime columns are `timestamp(3)` holding UTC.
  await prisma.$executeRaw`
    UPDATE smtp_credentials AS c SET "lastUsedAt" = u.at, "lastUsedIp" = u.ip
    FROM (SELECT id, (at AT TIME ZONE 'UTC') AS at, ip
          FROM unnest(${ids}::uuid[], ${times}::timestamptz[], ${ips}::text[]) AS t(id, at, ip)) AS u
    WHERE c.id = u.id AND (c."lastUsedAt" IS NULL OR c."lastUsedAt" < u.at)`;
}
