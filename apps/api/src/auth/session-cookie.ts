import { createHmac } from 'node:crypto';
import type { CookieOptions } from 'express';

export const SESSION_COOKIE = 'sh_session';
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;

/**
 * httpOnly keeps the token away from scripts; SameSite=Lax keeps it off cross-site POSTs; signed makes a forged
 * cookie fail before any database read.
 */
export function sessionCookieOptions(secure: boolean): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure, signed: true, path: '/', maxAge: SESSION_TTL_MS };
}

/**
 * The CSRF token is derived from the session token with a server key, so it can be handed out again for the same
 * session (GET /v1/auth/csrf) without storing it; the database keeps only its digest, as for the session token.
 */
export function csrfTokenFor(sessionToken: string, key: Buffer): string {
  return createHmac('sha256', key).update(`csrf:${sessionToken}`).digest('base64url');
}
