import ipaddr from 'ipaddr.js';

export type IpRange = [ipaddr.IPv4 | ipaddr.IPv6, number];

/**
 * Parses an allowlist entry: a CIDR block or a single address, IPv4 or IPv6. IPv4 must be four-part decimal
 * (ipaddr.js would otherwise read "10.1" or "0x0a.1" the way inet_aton does, which an admin never means).
 * IPv4-mapped IPv6 blocks are turned into their IPv4 form so they match the processed client address.
 * Returns null for anything else.
 */
export function parseIpRange(text: string): IpRange | null {
  return text.includes(':') ? parseIPv6Range(text) : parseIPv4Range(text);
}

// Checked with a regex before ipaddr.js sees it: ipaddr.js reports bad input by throwing, which costs
// microseconds each and dominated building an index of 300k credentials.
const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/;

function parseIPv4Range(text: string): IpRange | null {
  const match = IPV4_CIDR.exec(text);
  if (match === null) return null;
  const octets = match.slice(1, 5).map((part) => (part.length > 1 && part.startsWith('0') ? NaN : Number(part)));
  const bits = match[5] === undefined ? 32 : Number(match[5]);
  if (octets.some((octet) => !(octet <= 255)) || bits > 32) return null;
  return [new ipaddr.IPv4(octets), bits];
}

function parseIPv6Range(text: string): IpRange | null {
  const cidr = text.includes('/') ? text : `${text}/128`;
  if (!/^[0-9A-Fa-f:.]+\/\d{1,3}$/.test(cidr)) return null;
  let address: ipaddr.IPv6;
  let bits: number;
  try {
    [address, bits] = ipaddr.IPv6.parseCIDR(cidr);
  } catch {
    return null;
  }
  if (address.isIPv4MappedAddress() && bits >= 96) return [address.toIPv4Address(), bits - 96];
  return [address, bits];
}

export function isIpRange(text: string): boolean {
  return parseIpRange(text) !== null;
}

/**
 * True when the client address is inside one of the ranges. The address is processed first so that an IPv4
 * client seen on a dual-stack socket as "::ffff:a.b.c.d" matches IPv4 entries.
 */
export function ipInRanges(clientIp: string, ranges: readonly IpRange[]): boolean {
  const client = parseClientIp(clientIp);
  if (client === null) return false;
  return ranges.some(([network, bits]) => network.kind() === client.kind() && client.match(network, bits));
}

function parseClientIp(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const bare = text.includes('%') ? text.slice(0, text.indexOf('%')) : text;
  if (ipaddr.IPv4.isValidFourPartDecimal(bare)) return ipaddr.IPv4.parse(bare);
  if (!ipaddr.IPv6.isValid(bare)) return null;
  return ipaddr.process(bare);
}
