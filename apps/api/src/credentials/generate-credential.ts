import { randomBytes } from 'node:crypto';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * `smtp_` and 12 base32 characters (60 bits): unguessable enough that usernames do not help an attacker enumerate,
 * short enough to type. 256 is a multiple of 32, so masking each byte keeps the characters uniform.
 */
export function generateUsername(): string {
  const chars = [...randomBytes(12)].map((byte) => BASE32[byte & 31]);
  return `smtp_${chars.join('')}`;
}

/** 24 random bytes as 32 base64url characters: 192 bits, so a fast SHA-256 digest is safe to store (see secrets.ts). */
export function generatePassword(): string {
  return randomBytes(24).toString('base64url');
}
