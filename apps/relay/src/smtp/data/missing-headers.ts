import type { Header } from './headers';
import { rfc5322Date } from './received-header';

/**
 * Postfix's always_add_missing_headers for submission: RFC 5322 §3.6 requires an origination date and wants a
 * Message-ID, and a message without them is scored as spam or refused by large receivers. The Message-ID is the
 * relay's own message id under its host name, so it is unique and says who made it. Adds what it returns to
 * `headers`, so the message log shows what was sent.
 */
export function addMissingHeaders(headers: Header[], facts: { at: Date; messageId: string; hostname: string }): string {
  let added = '';
  if (!headers.some((h) => h.name === 'date')) {
    const value = ` ${rfc5322Date(facts.at)}`;
    headers.push({ name: 'date', value });
    added += `Date:${value}\r\n`;
  }
  if (!headers.some((h) => h.name === 'message-id')) {
    const value = ` <${facts.messageId}@${facts.hostname}>`;
    headers.push({ name: 'message-id', value });
    added += `Message-ID:${value}\r\n`;
  }
  return added;
}
