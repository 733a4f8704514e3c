import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { type ApiConfig, keyBytes } from '../config/api-config';

/**
 * The master keys DKIM private keys are sealed with. New ciphertexts always use `current`; `keys` holds every key
 * that may still be needed to open an older row, by the id stored next to it, so the master key can be rotated
 * without re-encrypting everything at once.
 */
export interface DkimKeyring {
  readonly current: string;
  readonly keys: ReadonlyMap<string, Buffer>;
}

export interface SealedKey {
  privateKeyEnc: Uint8Array<ArrayBuffer>;
  privateKeyIv: Uint8Array<ArrayBuffer>;
  privateKeyTag: Uint8Array<ArrayBuffer>;
  encKeyId: string;
}

const ALGORITHM = 'aes-256-gcm';
// NIST SP 800-38D §8.2: 96-bit random IVs; with one encryption per DKIM key we stay far below the 2^32 limit.
const IV_BYTES = 12;
const KEY_BYTES = 32;

export function dkimKeyring(config: Pick<ApiConfig, 'DKIM_MASTER_KEY' | 'DKIM_MASTER_KEY_ID'>): DkimKeyring {
  const key = keyBytes(config.DKIM_MASTER_KEY);
  if (key.length !== KEY_BYTES) throw new Error('DKIM_MASTER_KEY must be 32 bytes');
  return { current: config.DKIM_MASTER_KEY_ID, keys: new Map([[config.DKIM_MASTER_KEY_ID, key]]) };
}

/**
 * `context` is authenticated but not stored (GCM additional data): it binds the ciphertext to its row, so a
 * ciphertext copied onto another domain's key row fails to open instead of signing for the wrong domain.
 */
export function sealPrivateKey(keyring: DkimKeyring, pem: string, context: string): SealedKey {
  const key = masterKey(keyring, keyring.current);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const enc = Buffer.concat([cipher.update(pem, 'utf8'), cipher.final()]);
  return {
    privateKeyEnc: new Uint8Array(enc),
    privateKeyIv: new Uint8Array(iv),
    privateKeyTag: new Uint8Array(cipher.getAuthTag()),
    encKeyId: keyring.current,
  };
}

/** Throws when the master key is unknown or the ciphertext, tag or context does not match. */
export function openPrivateKey(keyring: DkimKeyring, sealed: SealedKey, context: string): string {
  const decipher = createDecipheriv(ALGORITHM, masterKey(keyring, sealed.encKeyId), sealed.privateKeyIv);
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(sealed.privateKeyTag);
  return Buffer.concat([decipher.update(sealed.privateKeyEnc), decipher.final()]).toString('utf8');
}

/** What a sealed key is bound to: its domain and selector, which together name exactly one key row. */
export function sealContext(domainId: string, selector: string): string {
  return `dkim:${domainId}:${selector}`;
}

function masterKey(keyring: DkimKeyring, id: string): Buffer {
  const key = keyring.keys.get(id);
  if (!key) throw new Error(`DKIM master key ${id} is not configured`);
  return key;
}
