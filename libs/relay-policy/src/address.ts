import { domainToASCII } from 'node:url';

/**
 * A mailbox address the relay is willing to route. `local` keeps the sender's case because RFC 5321 §2.4 lets a
 * receiving host treat local parts case-sensitively; every comparison uses `normalized` instead.
 */
export interface EmailAddress {
  local: string;
  /** Lowercase A-label (punycode) form, no trailing dot. */
  domain: string;
  /** `local@domain`, all lowercase: the key for ownership, suppression and route lookups. */
  normalized: string;
  /** What to put on the wire when relaying: the original local part at the normalised domain. */
  wire: string;
}

export type AddressRefusalReason =
  | 'empty'
  | 'too-long'
  | 'control-or-space'
  | 'source-route'
  | 'multiple-at'
  | 'missing-at'
  | 'empty-local-part'
  | 'local-part-too-long'
  | 'quoted-local-part'
  | 'percent-hack'
  | 'bang-path'
  | 'non-ascii-local-part'
  | 'invalid-local-part'
  | 'empty-domain'
  | 'ip-literal'
  | 'domain-too-long'
  | 'invalid-domain'
  | 'domain-without-dot'
  | 'numeric-tld';

export type ParseAddressResult = { ok: true; address: EmailAddress } | { ok: false; reason: AddressRefusalReason };

export type ParseDomainResult = { ok: true; domain: string } | { ok: false; reason: AddressRefusalReason };

/** RFC 5321 §4.5.3.1: local part 64 octets, domain 255 octets; §4.5.3.1.3 path 256 less the angle brackets. */
const MAX_LOCAL = 64;
const MAX_DOMAIN = 255;
const MAX_ADDRESS = 254;

// RFC 5322 §3.2.3 atext without '!' and '%', which are refused earlier with their own reason: both are
// legacy routing syntaxes (bang paths, the "percent hack") that turned relays into open relays.
const DOT_ATOM = /^[A-Za-z0-9#$&'*+\-/=?^_`{|}~]+(?:\.[A-Za-z0-9#$&'*+\-/=?^_`{|}~]+)*$/;
const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// Before IDNA conversion only letters, digits, hyphens and dots may appear among the ASCII characters:
// domainToASCII percent-decodes and maps characters, so "ex%61mple.com" would otherwise become "example.com".
const ASCII_OUTSIDE_LDH = /[\x00-\x2c\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]/;
const CONTROL_OR_SPACE = /[\x00-\x20\x7f\u0080-\u009f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/u;
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Parses a bare address as smtp-server hands it over (angle brackets already removed). Anything the relay
 * cannot read unambiguously is refused, never passed on. The empty reverse-path `<>` is not an address:
 * callers handle it before calling this.
 */
export function parseAddress(raw: string): ParseAddressResult {
  if (raw.length === 0) return refuse('empty');
  if (CONTROL_OR_SPACE.test(raw)) return refuse('control-or-space');
  // RFC 5321 §4.1.2 / Appendix C: "@a,@b:user@c" source routes must not be honoured.
  if (raw.startsWith('@')) return refuse('source-route');
  if (raw.startsWith('"')) return refuse('quoted-local-part');
  const at = raw.indexOf('@');
  if (at === -1) return refuse('missing-at');
  if (raw.indexOf('@', at + 1) !== -1) return refuse('multiple-at');
  const local = raw.slice(0, at);
  const localResult = checkLocalPart(local);
  if (localResult !== null) return refuse(localResult);
  const domainResult = parseDomain(raw.slice(at + 1));
  if (!domainResult.ok) return domainResult;
  const domain = domainResult.domain;
  const wire = `${local}@${domain}`;
  if (Buffer.byteLength(wire) > MAX_ADDRESS) return refuse('too-long');
  return { ok: true, address: { local, domain, normalized: `${local.toLowerCase()}@${domain}`, wire } };
}

/** Returns why a local part is refused, or null when it is a plain RFC 5322 dot-atom. */
export function checkLocalPart(local: string): AddressRefusalReason | null {
  if (local.length === 0) return 'empty-local-part';
  if (local.includes('"')) return 'quoted-local-part';
  if (local.includes('%')) return 'percent-hack';
  if (local.includes('!')) return 'bang-path';
  // Non-ASCII local parts need SMTPUTF8 (RFC 6531) end to end, which the relay does not offer.
  if (NON_ASCII.test(local)) return 'non-ascii-local-part';
  if (local.length > MAX_LOCAL) return 'local-part-too-long';
  if (!DOT_ATOM.test(local)) return 'invalid-local-part';
  return null;
}

/**
 * Normalises a domain to lowercase A-labels without a trailing dot and checks it is a public-looking host
 * name: LDH labels, at least one dot, and a TLD that is not all digits (RFC 3696 §2), which also rules out
 * dotted-quad addresses written without brackets.
 */
export function parseDomain(raw: string): ParseDomainResult {
  if (raw.length === 0) return refuse('empty-domain');
  if (raw.startsWith('[')) return refuse('ip-literal');
  const withoutRoot = raw.endsWith('.') ? raw.slice(0, -1) : raw;
  if (withoutRoot.length === 0) return refuse('empty-domain');
  if (ASCII_OUTSIDE_LDH.test(withoutRoot)) return refuse('invalid-domain');
  const ascii = toAscii(withoutRoot);
  if (ascii.length === 0) return refuse('invalid-domain');
  if (Buffer.byteLength(ascii) > MAX_DOMAIN) return refuse('domain-too-long');
  const labels = ascii.split('.');
  if (labels.length < 2) return refuse('domain-without-dot');
  if (!labels.every((label) => LDH_LABEL.test(label))) return refuse('invalid-domain');
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) return refuse('numeric-tld');
  return { ok: true, domain: ascii };
}

/**
 * IDNA (UTS #46) conversion for non-ASCII names; ASCII names are only lowercased, except that A-labels
 * ("xn--") must survive a round trip, so a malformed punycode label cannot slip through. Empty when invalid.
 */
function toAscii(name: string): string {
  if (NON_ASCII.test(name)) return domainToASCII(name);
  const lower = name.toLowerCase();
  return lower.includes('xn--') && domainToASCII(lower) !== lower ? '' : lower;
}

/** True when `name` is already in the normalised form `parseDomain` produces. */
export function isNormalizedDomain(name: string): boolean {
  const parsed = parseDomain(name);
  return parsed.ok && parsed.domain === name;
}

/** True when `value` is already in the normalised form `parseAddress` produces. */
export function isNormalizedAddress(value: string): boolean {
  const parsed = parseAddress(value);
  return parsed.ok && parsed.address.normalized === value;
}

function refuse(reason: AddressRefusalReason): { ok: false; reason: AddressRefusalReason } {
  return { ok: false, reason };
}
