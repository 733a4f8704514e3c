import { createHmac, timingSafeEqual } from 'node:crypto';
import type { EmailAddress } from './address';
import { parseDomain } from './address';
import { toBase32 } from './base32';

/** The label under the sending domain that customers point at the relay (`bounces.<domain>` CNAME). */
export const RETURN_PATH_LABEL = 'bounces';

/** One key of the return-path MAC; `id` travels in the address so a rotated key can still be recognised. */
export interface ReturnPathKey {
  /** One lower-case letter or digit. */
  id: string;
  secret: Buffer;
}

/**
 * The keys every relay node and worker share: the current one signs and verifies; the previous one only verifies,
 * and only until `previousUntil` (epoch ms), the stated overlap after a rotation (see ADR 0006).
 */
export interface ReturnPathKeyring {
  current: ReturnPathKey;
  previous: (ReturnPathKey & { until: number }) | null;
}

// Crockford base32, lower case: what a ULID is written in, and safe in a local part whatever case MTAs use.
const BASE32 = '0123456789abcdefghjkmnpqrstvwxyz';
const B32 = '[0-9a-hjkmnp-tv-z]';
const DESTINATION_TAG_LENGTH = 6; // 30 bits: tells apart the destination domains of one message
const MAC_LENGTH = 16; // 80 bits: what an outsider would have to guess, per try, at RCPT
// bounce+<message id (ULID, 26)>-<key id><destination tag><mac>: 57 octets, within RFC 5321's 64.
const VERP_LOCAL = new RegExp(`^bounce\\+(${B32}{26})-([0-9a-z])(${B32}{${DESTINATION_TAG_LENGTH}})(${B32}{${MAC_LENGTH}})$`, 'i');

/**
 * The envelope sender the relay delivers a message with (VERP) to one destination domain: bounces that a remote
 * server sends after it first accepted the message come back to the relay, which can suppress the address, instead
 * of to the customer's sender address. The domain is under the sender's own, so SPF alignment for DMARC holds
 * (relaxed mode). The keyed MAC makes the address unguessable, and it binds the message id, the sending domain and
 * the destination domain, so a report through it can speak only for recipients at that destination.
 */
export function returnPathFor(keyring: ReturnPathKeyring, messageId: string, senderDomain: string, destinationDomain: string): string {
  const key = keyring.current;
  const sender = canonicalDomain(senderDomain);
  const tag = destinationTag(key, canonicalDomain(destinationDomain));
  const id = messageId.toLowerCase();
  return `bounce+${id}-${key.id}${tag}${mac(key, id, sender, tag)}@${RETURN_PATH_LABEL}.${sender}`;
}

export interface ReturnPath {
  messageId: string;
  /** The sending domain the message went out for (the part after `bounces.`). */
  senderDomain: string;
  /** Which key signed it, and the tag of the destination domain it was sent to (see `returnPathCovers`). */
  keyId: string;
  destinationTag: string;
}

export type ReturnPathResult =
  | { kind: 'valid'; returnPath: ReturnPath }
  /** Under `bounces.` and of the `bounce+` form, but not one the relay made: a wrong MAC, an unknown or expired key, or the old MAC-less form. */
  | { kind: 'forged' }
  /** Not a return-path address at all. */
  | { kind: 'other' };

/** The message a return-path address stands for, when its MAC verifies with a key in force at `now` (epoch ms). */
export function verifyReturnPath(keyring: ReturnPathKeyring, address: EmailAddress, now: number): ReturnPathResult {
  const prefix = `${RETURN_PATH_LABEL}.`;
  if (!address.domain.startsWith(prefix) || !address.local.toLowerCase().startsWith('bounce+')) return { kind: 'other' };
  const match = VERP_LOCAL.exec(address.local.toLowerCase());
  if (!match) return { kind: 'forged' };
  const [, id, keyId, tag, given] = match as unknown as [string, string, string, string, string];
  const key = keyFor(keyring, keyId, now);
  const senderDomain = address.domain.slice(prefix.length);
  if (key === null || !sameText(mac(key, id, senderDomain, tag), given)) return { kind: 'forged' };
  return { kind: 'valid', returnPath: { messageId: id.toUpperCase(), senderDomain, keyId, destinationTag: tag } };
}

/** True when a recipient at `domain` was among those the message was sent to under this return path. */
export function returnPathCovers(keyring: ReturnPathKeyring, returnPath: ReturnPath, domain: string, now: number): boolean {
  const key = keyFor(keyring, returnPath.keyId, now);
  return key !== null && sameText(destinationTag(key, canonicalDomain(domain)), returnPath.destinationTag);
}

function keyFor(keyring: ReturnPathKeyring, keyId: string, now: number): ReturnPathKey | null {
  if (keyring.current.id === keyId) return keyring.current;
  const previous = keyring.previous;
  return previous !== null && previous.id === keyId && now < previous.until ? previous : null;
}

// Domain separation between the two uses of one key, and a version for a future change of the format.
function destinationTag(key: ReturnPathKey, domain: string): string {
  return digest(key, `smarthost return-path destination v1\0${domain}`, DESTINATION_TAG_LENGTH);
}

function mac(key: ReturnPathKey, messageId: string, senderDomain: string, tag: string): string {
  return digest(key, `smarthost return-path v1\0${key.id}\0${messageId}\0${senderDomain}\0${tag}`, MAC_LENGTH);
}

function digest(key: ReturnPathKey, input: string, length: number): string {
  return toBase32(createHmac('sha256', key.secret).update(input, 'utf8').digest(), BASE32, length);
}

function sameText(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** The A-label, lower-case form both sides compare (a worker's recipient domain may be a U-label). */
function canonicalDomain(domain: string): string {
  const parsed = parseDomain(domain);
  return parsed.ok ? parsed.domain : domain.toLowerCase();
}
