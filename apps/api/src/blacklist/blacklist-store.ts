import type { Prisma, PrismaClient } from '@smarthost/db';
import { type BlacklistTarget, listingKey } from './blacklist-targets';

/** What one answered lookup did to the target's listing. */
export type ListingChange = 'listed' | 'still-listed' | 'delisted' | 'clean';

/**
 * Stores one answered lookup: a check row always, and the listing opened, refreshed or closed to match. The
 * transaction-scoped lock on the listing's identity serialises this with a concurrent check of the same pair (the
 * scheduled sweep and an operator's check now), which would otherwise both find no open listing and open two.
 */
export async function recordAnswer(prisma: PrismaClient, target: BlacklistTarget, response: string | null, listed: boolean): Promise<ListingChange> {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${listingKey(target)}, 0))`;
    const now = new Date();
    await tx.blacklistCheck.create({ data: { ...target, listed, response, checkedAt: now } });
    const open = await tx.blacklistListing.findFirst({ where: openListing(target), select: { id: true } });
    if (listed && open) {
      await tx.blacklistListing.update({ where: { id: open.id }, data: { lastSeenAt: now, response, relayNodeId: target.relayNodeId } });
      return 'still-listed';
    }
    if (listed) {
      await tx.blacklistListing.create({ data: { ...target, response, firstSeenAt: now, lastSeenAt: now } });
      return 'listed';
    }
    if (!open) return 'clean';
    await tx.blacklistListing.update({ where: { id: open.id }, data: { delistedAt: now } });
    return 'delisted';
  });
}

function openListing(target: BlacklistTarget): Prisma.BlacklistListingWhereInput {
  return { targetType: target.targetType, target: target.target, zone: target.zone, tenantId: target.tenantId, delistedAt: null };
}

/**
 * Closes open listings of targets no longer monitored (a domain deleted or no longer verified, an address a node
 * stopped announcing, a zone dropped from the config): nothing would look them up again, so nothing else would
 * ever close them. Returns the listings closed.
 */
export async function closeUnmonitored(prisma: PrismaClient, monitored: readonly BlacklistTarget[]) {
  const keys = new Set(monitored.map(listingKey));
  const open = await prisma.blacklistListing.findMany({
    where: { delistedAt: null },
    select: { id: true, targetType: true, target: true, zone: true, tenantId: true, relayNodeId: true },
  });
  const stale = open.filter((listing) => !keys.has(listingKey(listing)));
  if (stale.length > 0) {
    await prisma.blacklistListing.updateMany({ where: { id: { in: stale.map((listing) => listing.id) }, delistedAt: null }, data: { delistedAt: new Date() } });
  }
  return stale;
}

/** What one sweep learnt of one zone. */
export interface ZoneSweep {
  zone: string;
  answered: number;
  failed: number;
  /** The last failure's description in this sweep. */
  lastError: string | null;
}

/** One row per zone, written once per sweep (not per lookup): counts, the last error and the last answer. */
export async function recordZoneHealth(prisma: PrismaClient, sweeps: readonly ZoneSweep[], at: Date): Promise<void> {
  await prisma.$transaction(
    sweeps.map((sweep) => {
      const failed = sweep.lastError === null ? {} : { lastError: sweep.lastError, lastErrorAt: at };
      const answered = sweep.answered > 0 ? { lastAnsweredAt: at } : {};
      return prisma.blacklistZoneHealth.upsert({
        where: { zone: sweep.zone },
        create: { zone: sweep.zone, failedLastSweep: sweep.failed, failedTotal: sweep.failed, lastSweepAt: at, ...failed, ...answered },
        update: { failedLastSweep: sweep.failed, failedTotal: { increment: sweep.failed }, lastSweepAt: at, ...failed, ...answered },
      });
    }),
  );
}
