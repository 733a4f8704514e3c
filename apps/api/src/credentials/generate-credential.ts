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

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const PASSWORD_LENGTH = 32;
// The largest multiple of 62 below 256: bytes from 248 up are drawn again, so every character stays uniform.
const UNBIASED_BELOW = 248;

/**
 * 32 letters and digits: 190 bits, so a fast SHA-256 digest is safe to store (see secrets.ts). Only letters and
 * digits because the password is pasted into command lines, config files and URLs: base64url's `-` and `_` broke
 * `swaks --auth-password -x…` (a leading `-` reads as an option) and need escaping elsewhere.
 */
export function generatePassword(): string {
  let password = '';
  while (password.length < PASSWORD_LENGTH) {
    for (const byte of randomBytes(PASSWORD_LENGTH)) {
      if (byte < UNBIASED_BELOW && password.length < PASSWORD_LENGTH) password += ALPHANUMERIC[byte % ALPHANUMERIC.length];
    }
  }
  return password;
}
