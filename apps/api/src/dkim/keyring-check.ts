import type { PrismaClient } from '@smarthost/db';
import { type DkimKeyring, openPrivateKey, sealContext, type SealedKey } from './dkim-crypto';

/**
 * The stored DKIM keys were sealed with another master key than the configured one. The message says what to do
 * in every setting, because the one who reads it is often someone starting the service for the first time.
 */
export class StoredKeysSealedElsewhereError extends Error {
  override readonly name = 'StoredKeysSealedElsewhereError';

  constructor(
    readonly configuredId: string,
    readonly storedId: string,
  ) {
    super(
      [
        `DKIM_MASTER_KEY (id ${configuredId}) does not open the DKIM keys stored under master key id "${storedId}".`,
        `  Start with the master key they were sealed with: DKIM_MASTER_KEY=<that key> DKIM_MASTER_KEY_ID=${storedId}`,
        '  (restore it from where this installation keeps its secrets).',
        '  If that key is lost, no one can open these keys. A disposable database (the local demo, a test database)',
        '  can start over: DATABASE_URL=<its url> npm run db:reset (`npm run demo` does this itself for its own',
        '  database when .data/demo.env does not match it). Any other database needs its key back: without it every',
        '  message of those domains would be deferred (dkim_unavailable).',
      ].join('\n'),
    );
  }
}

/**
 * Proves at start-up that the configured master key opens the DKIM keys already stored: the newest key sealed under
 * each master key id is opened. A wrong DKIM_MASTER_KEY (a fresh secret next to an old database, say) would
 * otherwise only show when the first message is signed, as an error on every key fetch and mail deferred with
 * `dkim_unavailable`. Throws StoredKeysSealedElsewhereError; the key material is never in it.
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
      throw new StoredKeysSealedElsewhereError(keyring.current, key.encKeyId);
    }
  }
}
