import { createHash, timingSafeEqual } from 'node:crypto';

const DIGEST_HEX = /^[0-9a-f]{64}$/;

/**
 * SHA-256 of a generated secret, as lowercase hex. SMTP passwords and API keys are at least 128 random bits,
 * so there is nothing to brute-force and no dictionary to salt against: a fast unsalted digest is as strong
 * as a slow KDF here, keeps AUTH cheap at tens of thousands of connections, and a leaked digest is useless.
 * Never use this for human-chosen passwords (the dashboard uses argon2id).
 */
export function secretDigest(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares in constant time, so response timing reveals nothing about how much of the digest matched. */
export function verifySecret(secret: string, digest: string): boolean {
  const actual = createHash('sha256').update(secret, 'utf8').digest();
  if (!DIGEST_HEX.test(digest)) return false;
  return timingSafeEqual(actual, Buffer.from(digest, 'hex'));
}

export function isSecretDigest(value: string): boolean {
  return DIGEST_HEX.test(value);
}
