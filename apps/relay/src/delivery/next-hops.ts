import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isDnsError, type DnsResolver } from '@smarthost/dns';
import { checkForwardAddress, type RouteTlsMode } from '@smarthost/relay-policy';
import type { Destination } from './destinations';
import { answerCache, type DnsCacheOptions } from './dns-cache';
import { failure, type RecipientOutcome } from './recipient-outcome';

/** A host to try, in order; its addresses are looked up only when the hosts before it failed. */
export interface NextHop {
  hostname: string;
  port: number;
  tls: RouteTlsMode;
  /** The relayhost is an operator's name: resolved like the API URL (hosts file, system resolver). */
  systemLookup: boolean;
  /** A host a tenant or a recipient domain names (a route, an MX): only its public unicast addresses are used. */
  publicOnly: boolean;
}

export type HopPlan = { kind: 'hops'; hops: NextHop[] } | { kind: 'fail'; outcome: RecipientOutcome };

/** The hosts to try for a destination, or the outcome for all of its recipients when there are none. */
export async function planHops(destination: Destination, resolver: DnsResolver, mxPort: number): Promise<HopPlan> {
  switch (destination.kind) {
    case 'route':
      return { kind: 'hops', hops: [{ hostname: destination.host, port: destination.port, tls: destination.tls, systemLookup: false, publicOnly: true }] };
    case 'relayhost':
      return { kind: 'hops', hops: [{ hostname: destination.host, port: destination.port, tls: 'opportunistic', systemLookup: true, publicOnly: false }] };
    case 'mx':
      return planMx(destination.domain, resolver, mxPort);
  }
}

async function planMx(domain: string, resolver: DnsResolver, port: number): Promise<HopPlan> {
  try {
    const mx = await resolver.mx(domain);
    if (mx.kind === 'null-mx') {
      // RFC 7505 §4.2: enhanced status 5.1.10 for a domain that accepts no mail.
      return { kind: 'fail', outcome: failure('bounced', 'null_mx', 'dns', `${domain} accepts no mail (null MX)`, { enhancedCode: '5.1.10' }) };
    }
    return { kind: 'hops', hops: mx.hosts.map((host) => ({ hostname: host.exchange, port, tls: 'opportunistic', systemLookup: false, publicOnly: true })) };
  } catch (error) {
    if (isDnsError(error, 'not-found')) {
      // RFC 3463 §3.2: X.1.2 bad destination system address.
      return { kind: 'fail', outcome: failure('bounced', 'no_such_domain', 'dns', `${domain} does not exist (${error.code})`, { enhancedCode: '5.1.2' }) };
    }
    if (isDnsError(error)) return { kind: 'fail', outcome: dnsTemporary(`MX lookup for ${domain} failed (${error.code})`) };
    throw error;
  }
}

/** Addresses of one hop, A then AAAA; throws DnsError (libs/dns) when there are none. */
export async function hopAddresses(hop: NextHop, resolver: DnsResolver): Promise<string[]> {
  if (isIP(hop.hostname) !== 0) return [hop.hostname];
  if (hop.systemLookup) return systemAddresses(hop.hostname);
  return resolver.addresses(hop.hostname);
}

/**
 * The addresses of a route or MX host that mail may go to. Whoever controls the name (a tenant for its route, anyone
 * for the MX of a recipient domain) can point it at any address at any time: without this, a route or a domain
 * with `MX 10 internal` could aim the relay at the networks behind it, or back at the relay itself (a mail loop,
 * RFC 5321 §6.3: `own` holds this node's addresses and its host name's). The operator's relayhost is exempt. None
 * left → deferred (the record may be fixed) and, past the maximum age, bounced.
 */
export function publicTargets(hop: NextHop, addresses: readonly string[], allowLoopback: boolean, own: ReadonlySet<string>): string[] | RecipientOutcome {
  if (!hop.publicOnly) return [...addresses];
  const allowed: string[] = [];
  const refused: string[] = [];
  const ours: string[] = [];
  for (const address of addresses) {
    const decision = checkForwardAddress(address, allowLoopback);
    if (decision.ok && own.has(decision.address)) ours.push(decision.address);
    else if (decision.ok) allowed.push(decision.address);
    else refused.push(`${address} (${decision.range})`);
  }
  if (allowed.length > 0) return allowed;
  if (ours.length > 0) {
    // RFC 3463 §3.5: X.4.6 routing loop detected.
    return failure('deferred', 'routing_loop', 'dns', `${hop.hostname} resolves to this relay (${ours.join(', ')}): mail would loop`, { enhancedCode: '4.4.6' });
  }
  // RFC 3463 §3.5: X.4.4 unable to route.
  return failure('deferred', 'forbidden_target', 'dns', `${hop.hostname} resolves only to addresses mail is not forwarded to: ${refused.join(', ')}`, { enhancedCode: '4.4.4' });
}

export function dnsTemporary(text: string): RecipientOutcome {
  // RFC 3463 §3.5: X.4.3 directory server failure; RFC 5321 §5.1: a DNS failure is never a bounce.
  return failure('deferred', 'dns_temporary', 'dns', text, { enhancedCode: '4.4.3' });
}

type SystemLookup = (hostname: string) => Promise<string[]>;

const askSystem: SystemLookup = async (hostname) => (await lookup(hostname, { all: true })).map((entry) => entry.address);

/**
 * The relayhost's addresses from the system resolver, reused for a few seconds (see answerCache). getaddrinfo runs
 * on libuv's thread pool, which the worker keeps small for its signatures (runtime/thread-pool.ts): asked for every
 * message, one slow answer would hold every signature queued behind it. Only operator-configured names come here.
 */
export function systemAddressLookup(ask: SystemLookup = askSystem, options: DnsCacheOptions = { ttlMs: 5_000 }): SystemLookup {
  const cached = answerCache<string[]>(options);
  return (hostname) => cached(hostname, () => ask(hostname));
}

const systemAddresses = systemAddressLookup();
