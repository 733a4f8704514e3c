import { domainToASCII } from 'node:url';
import { getDomain, getPublicSuffix } from 'tldts';

// ICANN section only: a customer may register `example.github.io` even though `github.io` is in the
// private section, because the private owner (not a registry) controls what lives under it.
// Names are already host names, so tldts must not try to parse them as URLs.
const PSL_OPTIONS = { allowPrivateDomains: false, extractHostname: false, detectIp: true } as const;

/**
 * True for a name under which registries hand out domains (`com`, `co.uk`, and any unknown TLD by
 * the PSL's default `*` rule): nobody may claim it as a sending domain.
 */
export function isPublicSuffix(name: string): boolean {
  const host = toLookupForm(name);
  return host !== '' && getPublicSuffix(host, PSL_OPTIONS) === host;
}

/** The domain a registrant controls (`mail.example.co.uk` → `example.co.uk`); null for a public suffix or an IP. */
export function registrableDomain(name: string): string | null {
  const host = toLookupForm(name);
  return host === '' ? null : getDomain(host, PSL_OPTIONS);
}

function toLookupForm(name: string): string {
  const trimmed = name.trim().toLowerCase().replace(/\.$/, '');
  return /^[\x00-\x7f]*$/.test(trimmed) ? trimmed : domainToASCII(trimmed);
}
