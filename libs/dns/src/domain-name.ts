import { domainToASCII, domainToUnicode } from 'node:url';

export type DomainNameError =
  | 'empty'
  | 'invalid-character'
  | 'invalid-idn'
  | 'too-long'
  | 'empty-label'
  | 'label-too-long'
  | 'invalid-label'
  | 'single-label'
  | 'numeric-tld';

export type NormalizedDomain =
  | { ok: true; /** A-label (punycode) form, lower case, no trailing dot: the form we store and compare. */ domain: string; unicode: string }
  | { ok: false; reason: DomainNameError };

// RFC 1035 §2.3.4: 255 octets on the wire, which is 253 characters without the root dot.
const MAX_DOMAIN_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;
// RFC 1123 §2.1 LDH label: letters, digits, hyphens, not starting or ending with a hyphen.
const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
// ASCII outside LDH and dots is refused before IDNA mapping: the WHATWG host parser behind
// domainToASCII would otherwise percent-decode and accept input like `exa%41mple.com`.
// RFC 3696 §2: a top-level domain is never all-numeric. Checked before domainToASCII, whose WHATWG
// IPv4 parser would turn `0x7f.1` into `127.0.0.1`; this also keeps IPv4 literals out.
const NUMERIC_TLD = /(?:^|\.)(?:[0-9]+|0x[0-9a-f]*)\.?$/i;
const FORBIDDEN_ASCII = /[\x00-\x2c\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]/;

/**
 * Canonical form of a domain a user typed: one spelling per domain (case, trailing dot, IDN as
 * punycode per UTS #46 / RFC 5891), so ownership checks cannot be bypassed by an alternate form.
 */
export function normalizeDomain(input: string): NormalizedDomain {
  const trimmed = input.trim();
  if (trimmed === '') return fail('empty');
  if (FORBIDDEN_ASCII.test(trimmed)) return fail('invalid-character');
  if (NUMERIC_TLD.test(trimmed)) return fail('numeric-tld');
  const ascii = domainToASCII(trimmed.toLowerCase());
  if (ascii === '') return fail('invalid-idn');
  const domain = ascii.replace(/\.$/, '');
  const reason = checkLdh(domain);
  if (reason) return fail(reason);
  return { ok: true, domain, unicode: domainToUnicode(domain) };
}

function checkLdh(domain: string): DomainNameError | undefined {
  if (domain === '') return 'empty';
  if (domain.length > MAX_DOMAIN_LENGTH) return 'too-long';
  const labels = domain.split('.');
  for (const label of labels) {
    if (label === '') return 'empty-label';
    if (label.length > MAX_LABEL_LENGTH) return 'label-too-long';
    if (!LDH_LABEL.test(label)) return 'invalid-label';
  }
  return labels.length < 2 ? 'single-label' : undefined;
}

function fail(reason: DomainNameError): NormalizedDomain {
  return { ok: false, reason };
}
