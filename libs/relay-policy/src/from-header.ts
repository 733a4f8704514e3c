import { parseAddress, type AddressRefusalReason, type EmailAddress } from './address';

export type FromHeaderRefusalReason =
  | 'empty'
  | 'multiple-addresses'
  | 'group-syntax'
  | 'unbalanced'
  | 'unparsable'
  | AddressRefusalReason;

export type ParseFromHeaderResult = { ok: true; address: EmailAddress } | { ok: false; reason: FromHeaderRefusalReason };

/**
 * Reads the single mailbox of a `From:` header value (RFC 5322 §3.6.2, `name-addr` or `addr-spec`). It is
 * stricter than a mail client on purpose: whatever could be read two ways (several mailboxes, groups,
 * comments or quotes inside the angle brackets, text after them) is refused, so the address checked here is
 * the address every receiver's DMARC evaluation sees.
 */
export function parseFromHeader(value: string): ParseFromHeaderResult {
  const unfolded = value.replace(/\r?\n(?=[ \t])/g, '');
  if (/[\r\n\0]/.test(unfolded)) return { ok: false, reason: 'unparsable' };
  const scanned = scan(unfolded);
  if ('reason' in scanned) return { ok: false, reason: scanned.reason };
  const text = scanned.text.trim();
  if (text === '') return { ok: false, reason: 'empty' };
  const open = text.indexOf('<');
  if (open === -1) return readAddrSpec(text);
  const close = text.indexOf('>');
  if (close < open || text.indexOf('<', open + 1) !== -1 || text.indexOf('>', close + 1) !== -1) {
    return { ok: false, reason: 'unbalanced' };
  }
  // An unquoted '@' in the display name is not a phrase (RFC 5322 §3.2.5) and is how spoofed names look real.
  if (text.slice(0, open).includes('@') || text.slice(close + 1).trim() !== '') {
    return { ok: false, reason: 'unparsable' };
  }
  return readAddrSpec(text.slice(open + 1, close).trim());
}

function readAddrSpec(text: string): ParseFromHeaderResult {
  if (text.includes(QUOTED)) return { ok: false, reason: 'quoted-local-part' };
  const parsed = parseAddress(text);
  return parsed.ok ? { ok: true, address: parsed.address } : { ok: false, reason: parsed.reason };
}

// Quoted strings are replaced by this marker, so their content cannot be mistaken for structure.
const QUOTED = '\u0001';

/**
 * Removes comments and quoted strings, refusing structure outside them that means more than one mailbox.
 * Returns the remaining text, or the reason it was refused.
 */
function scan(value: string): { text: string } | { reason: FromHeaderRefusalReason } {
  let out = '';
  let depth = 0;
  let quoted = false;
  let angle = false;
  for (let i = 0; i < value.length; i += 1) {
    const ch = value[i] as string;
    if (ch === '\\' && (quoted || depth > 0)) {
      i += 1;
      continue;
    }
    if (quoted) {
      if (ch === '"') quoted = false;
      continue;
    }
    if (depth > 0) {
      if (ch === '(') depth += 1;
      else if (ch === ')') depth -= 1;
      continue;
    }
    if (ch === '"' || ch === '(') {
      if (angle) return { reason: ch === '"' ? 'quoted-local-part' : 'unparsable' };
      if (ch === '"') {
        quoted = true;
        out += QUOTED;
      } else {
        depth = 1;
        out += ' ';
      }
      continue;
    }
    if (ch === ')') return { reason: 'unbalanced' };
    if (ch === ',') return { reason: 'multiple-addresses' };
    if (ch === ':' || ch === ';') return { reason: 'group-syntax' };
    if (ch === '<') angle = true;
    if (ch === '>') angle = false;
    out += ch;
  }
  return quoted || depth > 0 ? { reason: 'unbalanced' } : { text: out };
}
