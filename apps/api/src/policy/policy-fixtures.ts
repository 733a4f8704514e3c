import { randomBytes, randomUUID } from 'node:crypto';
import type { DomainStatus, PrismaClient } from '@smarthost/db';

/**
 * Test support for the policy features: a domain written straight to the database in a chosen state, because
 * verification (DNS) has its own end-to-end tests and these tests are about what happens after it.
 */
export async function insertDomain(
  prisma: PrismaClient,
  tenantId: string,
  status: DomainStatus = 'verified',
  name = `d${randomUUID().slice(0, 8)}.example.test`,
): Promise<{ id: string; name: string }> {
  return prisma.domain.create({
    data: {
      tenantId,
      name,
      status,
      verifiedName: status === 'verified' ? name : null,
      verifiedAt: status === 'verified' ? new Date() : null,
      verificationToken: randomBytes(16).toString('hex'),
    },
    select: { id: true, name: true },
  });
}

/** A token that is well-formed but belongs to nobody. */
export const strangerToken = () => `shn_${randomBytes(32).toString('base64url')}`;
