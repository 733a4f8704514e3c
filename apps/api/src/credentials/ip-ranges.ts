import { parseIpRange } from '@smarthost/relay-policy';
import ipaddr from 'ipaddr.js';

/**
 * Canonical CIDR for an allowlist entry, or null when it is not one. Parsing is the relay's own (`parseIpRange`,
 * built on ipaddr.js) so the API never stores an entry the relay would read differently. Host bits are cleared
 * ("10.1.2.3/8" is stored as "10.0.0.0/8") and a bare address becomes a /32 or /128, so two spellings of the same
 * network compare equal in the dashboard.
 */
export function canonicalIpRange(text: string): string | null {
  const range = parseIpRange(text.trim());
  if (!range) return null;
  const [address, bits] = range;
  const network =
    address.kind() === 'ipv4'
      ? ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${bits}`)
      : ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${bits}`);
  return `${network.toString()}/${bits}`;
}
