import { createHmac, timingSafeEqual } from 'node:crypto';
import { toBase32 } from './base32';

/**
 * Sender Rewriting Scheme, SRS0 only (Shevek, "Sender Rewriting Scheme", 2004; libsrs2's format):
 * `SRS0=HHHHHHHH=TT=<original domain>=<original local part>@<forwarder's domain>`.
 *
 * A forwarder that kept the original envelope sender would make the receiver check SPF for the sender's domain
 * against the forwarder's IPs (RFC 7208 §1.2, §10.1): either failing good mail or, for domains that include the
 * forwarder, passing forged mail. The rewritten sender is under our own domain, and bounces to it can be reversed
 * only for addresses we made: the hash is a keyed MAC over timestamp and original address, and TT is the day it was
 * made, so an address stops working after its maximum age. Nested forwarding yields SRS0 of SRS0 (correct if longer;
 * SRS1 is an optimisation this relay does not need, since it is the last forwarder before the customer's server).
 */
export interface SrsKey {
  secret: string;
  /** The domain SRS addresses are made under (the relay's own; it must take mail for it on port 25). */
  domain: string;
  maxAgeDays: number;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const DAY_MS = 86_400_000;
// 10 bits of day number, two base32 characters: the timestamp wraps after 1,024 days (libsrs2 does the same).
const TIMESTAMP_DAYS = 1024;
const HASH_CHARS = 8;
const SRS0 = /^srs0[=+-]([a-z2-7]{8})=([a-z2-7]{2})=([^=@]+)=(.+)$/i;

/** The SRS0 address for an original envelope sender `local@domain`; the null sender stays null. */
export function srsForward(key: SrsKey, sender: string, now = Date.now()): string {
  if (sender === '') return '';
  const at = sender.lastIndexOf('@');
  const local = sender.slice(0, at);
  const domain = sender.slice(at + 1).toLowerCase();
  const stamp = timestamp(now);
  return `SRS0=${hash(key.secret, stamp, domain, local)}=${stamp}=${domain}=${local}@${key.domain}`;
}

export type SrsReverse =
  | { ok: true; original: string }
  | { ok: false; reason: 'not_srs' | 'bad_hash' | 'expired' };

/**
 * The original sender an SRS address stands for. `not_srs`: not an SRS0 address at our SRS domain at all; the
 * others: one that looks like ours but that we did not make (`bad_hash`) or made too long ago (`expired`).
 */
export function srsReverse(key: SrsKey, address: string, now = Date.now()): SrsReverse {
  const at = address.lastIndexOf('@');
  if (at <= 0 || address.slice(at + 1).toLowerCase().replace(/\.$/, '') !== key.domain.toLowerCase()) return { ok: false, reason: 'not_srs' };
  const local = address.slice(0, at);
  if (!/^srs0[=+-]/i.test(local)) return { ok: false, reason: 'not_srs' };
  const match = SRS0.exec(local);
  if (!match) return { ok: false, reason: 'bad_hash' };
  const [, given, stamp, domain, originalLocal] = match as unknown as [string, string, string, string, string];
  // Compared lower-cased: MTAs on the way back may change the case of the local part.
  const expected = hash(key.secret, stamp.toLowerCase(), domain.toLowerCase(), originalLocal);
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(given.toLowerCase()))) return { ok: false, reason: 'bad_hash' };
  if (ageDays(stamp.toLowerCase(), now) > key.maxAgeDays) return { ok: false, reason: 'expired' };
  return { ok: true, original: `${originalLocal}@${domain.toLowerCase()}` };
}

function hash(secret: string, stamp: string, domain: string, local: string): string {
  return toBase32(createHmac('sha256', secret).update(`${stamp}=${domain}=${local}`.toLowerCase()).digest(), BASE32, HASH_CHARS);
}

function timestamp(now: number): string {
  const day = Math.floor(now / DAY_MS) % TIMESTAMP_DAYS;
  return `${BASE32[day >> 5]}${BASE32[day & 31]}`;
}

/** Days since the address was made, modulo the timestamp's range (a stamp from the "future" is 1,024 days old). */
function ageDays(stamp: string, now: number): number {
  const made = (BASE32.indexOf(stamp[0] as string) << 5) | BASE32.indexOf(stamp[1] as string);
  const today = Math.floor(now / DAY_MS) % TIMESTAMP_DAYS;
  return (today - made + TIMESTAMP_DAYS) % TIMESTAMP_DAYS;
}
