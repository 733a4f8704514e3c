import type { PrismaClient } from '@smarthost/db';
import { type DkimKeyring, openPrivateKey, sealContext } from './dkim-crypto';

export interface SigningKey {
  keyId: string;
  /** The `d=` of the signature. */
  domain: string;
  /** The `s=` of the signature. */
  selector: string;
  algorithm: string;
  privateKeyPem: string;
}

/**
 * The key delivery workers sign a domain's mail with, decrypted; null when the domain has no active key yet.
 * Server-side only: nothing returned here may reach an HTTP response or a log line.
 */
export async function activeDkimKey(prisma: PrismaClient, domainId: string, keyring: DkimKeyring): Promise<SigningKey | null> {
  const key = await prisma.dkimKey.findFirst({
    where: { domainId, status: 'active' },
    include: { domain: { select: { name: true } } },
  });
  if (!key) return null;
  return {
    keyId: key.id,
    domain: key.domain.name,
    selector: key.selector,
    algorithm: key.algorithm,
    privateKeyPem: openPrivateKey(keyring, key, sealContext(domainId, key.selector)),
  };
}
