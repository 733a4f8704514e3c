import type { PrismaClient } from '@smarthost/db';
import type { DnsResolver } from '@smarthost/dns';
import { schedulerAuditor } from './domain-auditor';
import { verifyDomain } from './verify-domain';

/**
 * The scheduled re-check of one verified domain: the same checks as a verify click, so drift (a record that passed
 * and is now missing or wrong) shows on the record and ownership loss fails the domain, as planVerification decides.
 * A domain that is no longer verified (deleted, failed meanwhile) is skipped: only its owner's click re-verifies it.
 */
export async function recheckDomain(prisma: PrismaClient, resolver: DnsResolver, domainId: string): Promise<'rechecked' | 'skipped'> {
  const domain = await prisma.domain.findUnique({ where: { id: domainId }, select: { tenantId: true, status: true } });
  if (!domain || domain.status !== 'verified') return 'skipped';
  await verifyDomain(prisma, resolver, domainId, schedulerAuditor(domain.tenantId));
  return 'rechecked';
}

/** One page of verified domain ids, in id order, for the sweep to fan out. */
export async function verifiedDomainIds(prisma: PrismaClient, after: string | undefined, limit: number): Promise<string[]> {
  const rows = await prisma.domain.findMany({
    where: { status: 'verified', ...(after ? { id: { gt: after } } : {}) },
    select: { id: true },
    orderBy: { id: 'asc' },
    take: limit,
  });
  return rows.map((row) => row.id);
}
