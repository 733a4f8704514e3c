import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';

/**
 * Dashboard passwords are human-chosen, so unlike generated secrets they are hashed with argon2id
 * (the library's defaults: m=19 MiB, t=2, p=1, OWASP's minimum recommendation).
 */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    // A malformed stored hash (e.g. a fixture's placeholder) can never match; it is not a server fault for the caller.
    return false;
  }
}

/**
 * Verified when the email is unknown, so an unknown email costs the same argon2 work as a wrong password and
 * response timing does not reveal which accounts exist.
 */
let dummyHash: Promise<string> | undefined;
export function burnPasswordCheck(password: string): Promise<boolean> {
  dummyHash ??= hash('smarthost-timing-equaliser');
  return dummyHash.then((h) => verifyPassword(h, password));
}

/** New passwords: long enough to resist guessing, bounded so argon2 input cannot be used to burn CPU. */
export const newPassword = z
  .string()
  .min(12, { message: 'must be at least 12 characters' })
  .max(256, { message: 'must be at most 256 characters' })
  .refine((value) => new Set(value).size > 1, { message: 'must not repeat a single character' });

export const email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'must be an email address' }))
  .transform((value) => value.toLowerCase());
