import type { EmailAddress } from './address';

/** The label under the sending domain that customers point at the relay (`bounces.<domain>` CNAME). */
export const RETURN_PATH_LABEL = 'bounces';

// A message id is a ULID (Crockford base32, 26 characters); local parts travel lower-cased through some MTAs.
const VERP_LOCAL = /^bounce\+([0-9a-hjkmnp-tv-z]{26})$/i;

/**
 * The envelope sender the relay delivers a message with (VERP): bounces that a remote server sends after it first
 * accepted the message come back to the relay, which can suppress the address, instead of to the customer's
 * sender address. The domain is under the sender's own, so SPF alignment for DMARC holds (relaxed mode).
 */
export function returnPathFor(messageId: string, senderDomain: string): string {
  return `bounce+${messageId.toLowerCase()}@${RETURN_PATH_LABEL}.${senderDomain}`;
}

export interface ReturnPath {
  messageId: string;
  /** The sending domain the message went out for (the part after `bounces.`). */
  senderDomain: string;
}

/** The message a return-path address stands for, or null when the address is not one the relay made. */
export function parseReturnPath(address: EmailAddress): ReturnPath | null {
  const prefix = `${RETURN_PATH_LABEL}.`;
  if (!address.domain.startsWith(prefix)) return null;
  const match = VERP_LOCAL.exec(address.local);
  if (!match) return null;
  return { messageId: (match[1] as string).toUpperCase(), senderDomain: address.domain.slice(prefix.length) };
}
