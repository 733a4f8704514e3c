import { createHash, randomBytes } from 'node:crypto';

// Crockford base32: sortable as text, no ambiguous letters, and never a BullMQ-forbidden ':'.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const MESSAGE_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * A ULID (48-bit millisecond time + 80 random bits): ids sort by arrival time, which keeps queue listings and
 * logs in order, and 80 random bits make a collision between nodes in the same millisecond negligible.
 */
export function newMessageId(now: number = Date.now()): string {
  return encodeTime(now) + encodeRandom(randomChunk());
}

/**
 * The 80 random bits of a message id, cut from a pool filled by one `randomBytes` call per 256 ids (the same CSPRNG;
 * one call per id cost more than the rest of the id). Every byte is used once; nothing is secret about an id.
 */
const RANDOM_BYTES = 10;
const POOL_BYTES = RANDOM_BYTES * 256;
let pool = Buffer.alloc(0);
let poolOffset = 0;

function randomChunk(): Buffer {
  if (poolOffset + RANDOM_BYTES > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  const chunk = pool.subarray(poolOffset, poolOffset + RANDOM_BYTES);
  poolOffset += RANDOM_BYTES;
  return chunk;
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
  for (let i = 0; i < bytes.length; i += 1) {
    const byte = bytes[i] as number;
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(value >> bits) & 31];
    }
  }
  return out;
}
