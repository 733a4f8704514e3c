import type { BlacklistTargetType } from '@smarthost/db';
import ipaddr from 'ipaddr.js';

/**
 * - `listed`: the zone lists the target.
 * - `clean`: the zone answered and does not list it.
 * - `error`: the zone answered something that is not a verdict (refused us, rate limited, a hijacked NXDOMAIN), so
 *   nothing is known about the target.
 */
export type DnsblVerdict = 'listed' | 'clean' | 'error';

/**
 * The name to look up (RFC 5782 §2): an IPv4 address as its octets reversed, an IPv6 address as its 32 nibbles
 * reversed (§2.4), a domain as it is, each under the zone.
 */
export function queryName(targetType: BlacklistTargetType, target: string, zone: string): string {
  if (targetType === 'domain') return `${target}.${zone}`;
  // process() turns an IPv4-mapped IPv6 address into the IPv4 address the lists know it by.
  const bytes = ipaddr.process(target).toByteArray();
  const labels = bytes.length === 4 ? bytes.map(String) : bytes.flatMap((byte) => [(byte >> 4).toString(16), (byte & 0xf).toString(16)]);
  return `${labels.reverse().join('.')}.${zone}`;
}

const LOOPBACK = ipaddr.parseCIDR('127.0.0.0/8');
// Spamhaus answers these instead of a verdict: 127.255.255.252 typo in the zone name, .254 query through a public
// resolver, .255 too many queries; the DBL answers 127.0.1.255 to an IP address asked as a domain. All of
// 127.255.255.0/24 counts, so a code added there later is not taken for a listing.
const REFUSAL = ipaddr.parseCIDR('127.255.255.0/24');
const DBL_REFUSAL = '127.0.1.255';

/**
 * Judges the addresses answered at a query name (an NXDOMAIN is `clean` before it gets here). A listing is an IPv4
 * address in 127.0.0.0/8 (RFC 5782 §2.1); any other answer, or a refusal code, makes the whole answer `error`, even
 * next to a listing code: a resolver that rewrites answers cannot be trusted for the rest of them either.
 */
export function interpret(addresses: readonly string[]): DnsblVerdict {
  if (addresses.length === 0) return 'clean';
  return addresses.every(isListingCode) ? 'listed' : 'error';
}

function isListingCode(value: string): boolean {
  if (!ipaddr.IPv4.isValidFourPartDecimal(value) || value === DBL_REFUSAL) return false;
  const address = ipaddr.IPv4.parse(value);
  return address.match(LOOPBACK) && !address.match(REFUSAL);
}
