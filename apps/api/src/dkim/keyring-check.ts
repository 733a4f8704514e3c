import type { PrismaClient } from '@smarthost/db';
import { type DkimKeyring, openPrivateKey, sealContext, type SealedKey } from './dkim-crypto';

/**
 * Proves at start-up that the configured master key opens the DKIM keys already stored: the newest key sealed under
 * each master key id is opened. A wrong DKIM_MASTER_KEY (a fresh secret next to an old database, say) would
 * otherwise only show when the first message is signed, as an error on every key fetch and mail deferred with
 * `dkim_unavailable`. Throws an error that says which id failed and what to do; the key material is never in it.
 */
export async function assertKeyringOpensStoredKeys(prisma: PrismaClient, keyring: DkimKeyring): Promise<void> {
  // DISTINCT ON in SQL: Prisma's `distinct` would load every key row first.
  const newestPerMasterKey = await prisma.$queryRaw<Array<SealedKey & { domainId: string; selector: string }>>`
    SELECT DISTINCT ON ("encKeyId") "domainId", selector, "privateKeyEnc", "privateKeyIv", "privateKeyTag", "encKeyId"
    FROM dkim_keys ORDER BY "encKeyId", "createdAt" DESC`;
  for (const key of newestPerMasterKey) {
    try {
      openPrivateKey(keyring, key, sealContext(key.domainId, key.selector));
    } catch {
      throw new Error(
        `DKIM_MASTER_KEY (id ${keyring.current}) does not open the DKIM keys stored under master key id "${key.encKeyId}": ` +
          'start with the master key they were sealed with (DKIM_MASTER_KEY and DKIM_MASTER_KEY_ID)',
      );
    }
  }
}
