import { isDnsError, type DnsResolver } from '@smarthost/dns';
import { canonicalAddress, interfaceAddresses } from '../net/own-addresses';

/**
 * The addresses mail from this worker must never be delivered to, because they are the relay: the node's public
 * addresses (RELAY_PUBLIC_IPS), its interfaces, and what the relay's host name resolves to (the other nodes behind
 * it). The name is asked through the worker's caching resolver; when it does not resolve, the rest still count.
 */
export function ownAddresses(publicIps: readonly string[], relayHostname: string, resolver: DnsResolver): () => Promise<ReadonlySet<string>> {
  const fixed = [...publicIps, ...interfaceAddresses()];
  return async () => {
    const named = await resolver.addresses(relayHostname).catch((error: unknown) => {
      if (isDnsError(error)) return [];
      throw error;
    });
    return new Set([...fixed, ...named].map(canonicalAddress).filter((address): address is string => address !== null));
  };
}
