import type { DomainStatus, Prisma, PrismaClient } from '@smarthost/db';
import type { DnsResolver } from '@smarthost/dns';
import { AppError } from '../core/app-error';
import { recordPolicyChange } from '../policy/policy-changes';
import { type CheckResult, checkRecord } from './check-record';
import type { RecordType } from './dns-records';
import type { DomainAuditor } from './domain-auditor';
import { planVerification, type VerificationPlan } from './verification-plan';

type CheckedRecord = { id: string; result: CheckResult };

/**
 * Checks every record of one domain against DNS and stores the outcome. The lookups run before the transaction, so
 * no database connection is held while DNS is slow. Callers have already checked the caller may see this domain.
 */
export async function verifyDomain(prisma: PrismaClient, resolver: DnsResolver, domainId: string, auditor: DomainAuditor): Promise<void> {
  const domain = await prisma.domain.findUniqueOrThrow({
    where: { id: domainId },
    include: { dnsRecords: true, dkimKeys: { select: { id: true, selector: true, status: true, verifiedAt: true } } },
  });
  const records = await Promise.all(
    domain.dnsRecords.map(async (record) => ({
      ...record,
      result: await checkRecord(resolver, { ...record, type: record.type as RecordType }),
    })),
  );
  const plan = planVerification({ domain, records, keys: domain.dkimKeys });
  try {
    await prisma.$transaction((tx) => apply(tx, { ...domain, records }, plan, auditor));
  } catch (error) {
    // verifiedName is the only unique value this transaction writes: another tenant verified the name first.
    if ((error as { code?: unknown }).code === 'P2002') {
      throw new AppError('conflict', 'this domain is already verified by another tenant');
    }
    throw error;
  }
}

async function apply(
  tx: Prisma.TransactionClient,
  domain: { id: string; tenantId: string; name: string; status: DomainStatus; records: CheckedRecord[] },
  plan: VerificationPlan,
  auditor: DomainAuditor,
): Promise<void> {
  // Concurrent verifications of one domain (a double click, the re-check job) updated the same rows in whatever
  // order each read them and deadlocked (P2034). The domain row lock queues them. One that finds the status moved
  // while it looked DNS up lets that verification's outcome stand as its answer too.
  const [locked] = await tx.$queryRaw<{ status: string }[]>`SELECT status FROM domains WHERE id = ${domain.id}::uuid FOR UPDATE`;
  if (locked?.status !== domain.status) return;
  const now = new Date();
  for (const { id, result } of domain.records) {
    await tx.domainDnsRecord.update({
      where: { id },
      data: { ...result, lastCheckedAt: now, ...(result.status === 'ok' ? { lastOkAt: now } : {}) },
    });
  }
  if (plan.keysVerified.length > 0) {
    await tx.dkimKey.updateMany({ where: { id: { in: plan.keysVerified }, domainId: domain.id }, data: { verifiedAt: now } });
  }
  const statusChanged = plan.status !== domain.status;
  // Guarded by the status we planned from: a concurrent verification that already moved it wins, and we do not
  // record its transition twice.
  const updated = await tx.domain.updateMany({
    where: { id: domain.id, status: domain.status },
    data: { lastCheckedAt: now, ...(statusChanged ? statusData(plan.status, domain.name, now) : {}) },
  });
  if (updated.count === 0) throw new AppError('conflict', 'the domain changed while it was being verified; try again');
  if (plan.keyActivated) await activateFirstKey(tx, domain.id, plan.keyActivated, now, auditor);
  if (statusChanged || plan.keyActivated) {
    await recordPolicyChange(tx, { tenantId: domain.tenantId, entity: 'domain', entityId: domain.id, op: 'upsert' });
  }
  if (statusChanged) {
    const action = plan.status === 'verified' ? 'domain.verified' : 'domain.verification_lost';
    await auditor(tx, action, { type: 'domain', id: domain.id }, { name: domain.name, from: domain.status, to: plan.status });
  }
}

function statusData(status: DomainStatus, name: string, now: Date): Prisma.DomainUpdateManyMutationInput {
  if (status === 'verified') return { status, verifiedName: name, verifiedAt: now };
  // Ownership lost: release the claim so whoever controls the domain now can verify it.
  return { status, verifiedName: null };
}

async function activateFirstKey(tx: Prisma.TransactionClient, domainId: string, keyId: string, now: Date, auditor: DomainAuditor) {
  await tx.dkimKey.update({ where: { id: keyId, domainId }, data: { status: 'active', activatedAt: now } });
  await auditor(tx, 'dkim.activated', { type: 'dkimKey', id: keyId }, { domainId, automatic: true });
}
