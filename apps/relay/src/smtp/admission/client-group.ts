import ipaddr from 'ipaddr.js';

export interface GroupPrefixes {
  ipv4Prefix: number;
  ipv6Prefix: number;
}

/**
 * The network a client address is counted in: `192.0.2.7/32`, `2001:db8:1:2::/64`. IPv4-mapped IPv6
 * (`::ffff:192.0.2.7`, a dual-stack listener) counts as its IPv4 address, so one host cannot appear as two.
 * An address that cannot be read is its own group: it is still counted, never let through uncounted.
 */
export function clientGroup(address: string, prefixes: GroupPrefixes): string {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(address);
  } catch {
    return `?${address}`;
  }
  const prefix = parsed.kind() === 'ipv4' ? prefixes.ipv4Prefix : prefixes.ipv6Prefix;
  const network =
    parsed.kind() === 'ipv4'
      ? ipaddr.IPv4.networkAddressFromCIDR(`${parsed.toString()}/${prefix}`)
      : ipaddr.IPv6.networkAddressFromCIDR(`${parsed.toString()}/${prefix}`);
  return `${network.toString()}/${prefix}`;
}
