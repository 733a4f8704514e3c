import { createHash, randomBytes } from 'node:crypto';

// Crockford base32: sortable as text, no ambiguous letters, and never a BullMQ-forbidden ':'.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const MESSAGE_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * A ULID (48-bit millisecond time + 80 random bits): ids sort by arrival time, which keeps queue listings and
 * logs in order, and 80 random bits make a collision between nodes in the same millisecond negligible.
 */
export function newMessageId(now: number = Date.now()): string {
  return encodeTime(now) + encodeRandom(randomBytes(10));
}

/**
 * A message id derived from another one and a label (e.g. the bounce notice of attempt 3): the same inputs always
 * give the same id, so a replayed step enqueues the same job id instead of a second message. It keeps the parent's
 * time, so it sorts next to the message it is about.
 */
export function derivedMessageId(parent: string, label: string): string {
  const digest = createHash('sha256').update(`${parent}\u0000${label}`).digest();
  return parent.slice(0, 10) + encodeRandom(digest.subarray(0, 10));
}

export function isMessageId(value: string): boolean {
  return MESSAGE_ID.test(value);
}

/** The arrival time encoded in a message id. */
export function messageIdTime(id: string): number {
  let time = 0;
  for (const ch of id.slice(0, 10)) time = time * 32 + ALPHABET.indexOf(ch);
  return time;
}

function encodeTime(time: number): string {
  let out = '';
  let rest = Math.floor(time);
  for (let i = 0; i < 10; i += 1) {
    out = (ALPHABET[rest % 32] as string) + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

function encodeRandom(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(value >> bits) & 31];
    }
  }
  return out;
}
