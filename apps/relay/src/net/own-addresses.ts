import { networkInterfaces } from 'node:os';
import ipaddr from 'ipaddr.js';

/** Non-loopback interface addresses: the API shows them, the blocklist monitor checks them, delivery never targets them. */
export function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((entries) => entries ?? [])
    .filter((entry) => !entry.internal)
    .map((entry) => entry.address);
}

/** One spelling per address, so sets compare: an IPv4-mapped IPv6 address is the IPv4 address it carries. */
export function canonicalAddress(text: string): string | null {
  return ipaddr.isValid(text) ? ipaddr.process(text).toString() : null;
}
