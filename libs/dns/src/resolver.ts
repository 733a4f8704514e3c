import { Resolver } from 'node:dns/promises';
import { DnsError, classifyDnsError } from './dns-error';
import { MxResult, orderMx } from './mx';

export interface ResolverOptions {
  /** Name servers as `host` or `host:port` (`127.0.0.1:5353`, `[::1]:53`); the system's when omitted. */
  servers?: readonly string[];
  /** Time to wait for one answer before the next try. */
  timeoutMs: number;
  /** Attempts per server before the lookup fails as `temporary`. */
  tries: number;
  /** Tie-break for MX hosts of equal preference; injectable so a test can fix the order. */
  random?: () => number;
}

/** Every method rejects with a {@link DnsError} whose `kind` tells "missing" from "try again". */
export interface DnsResolver {
  /** TXT records, each one's character-strings joined (RFC 7208 §3.3, RFC 6376 §3.6.2.2). */
  txt(name: string): Promise<string[]>;
  /** Where to deliver mail for a domain, per RFC 5321 §5.1 and RFC 7505. */
  mx(name: string): Promise<MxResult>;
  /** A and AAAA addresses, IPv4 first. */
  addresses(name: string): Promise<string[]>;
  /** A records only: what a DNS blocklist answers (RFC 5782 §2.1); asking AAAA too would double the queries. */
  ipv4(name: string): Promise<string[]>;
  /** The target of a CNAME at `name`, lower-case without the trailing dot. */
  cname(name: string): Promise<string>;
}

export function createResolver(options: ResolverOptions): DnsResolver {
  const resolver = new Resolver({ timeout: options.timeoutMs, tries: options.tries });
  if (options.servers) resolver.setServers([...options.servers]);
  const lookup = <T>(name: string, rrtype: string, query: () => Promise<T>): Promise<T> =>
    query().catch((error: unknown) => {
      throw classifyDnsError(error, name, rrtype);
    });

  const addresses = async (name: string): Promise<string[]> => {
    const [v4, v6] = await Promise.allSettled([
      lookup(name, 'A', () => resolver.resolve4(name)),
      lookup(name, 'AAAA', () => resolver.resolve6(name)),
    ]);
    return combineAddresses(name, v4, v6);
  };

  return {
    txt: (name) => lookup(name, 'TXT', () => resolver.resolveTxt(name)).then((records) => records.map((chunks) => chunks.join(''))),
    cname: (name) => lookup(name, 'CNAME', () => resolver.resolveCname(name)).then((targets) => normalizeHost(targets[0] ?? '')),
    addresses,
    ipv4: (name) => lookup(name, 'A', () => resolver.resolve4(name)),
    mx: async (name) => {
      try {
        const records = await lookup(name, 'MX', () => resolver.resolveMx(name));
        return orderMx(records, options.random);
      } catch (error) {
        if (!(error instanceof DnsError) || error.code !== 'ENODATA') throw error;
      }
      // RFC 5321 §5.1: the name exists but has no MX, so its own address is the implicit MX.
      await addresses(name);
      return { kind: 'hosts', hosts: [{ exchange: normalizeHost(name), priority: 0 }], implicit: true };
    },
  };
}

/**
 * One family answering is enough to deliver; the lookup fails only when neither did, and then as
 * `temporary` if either failure was, since the missing family might just be slow.
 */
function combineAddresses(name: string, v4: PromiseSettledResult<string[]>, v6: PromiseSettledResult<string[]>): string[] {
  const found = [v4, v6].flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
  if (found.length > 0) return found;
  const errors = [v4, v6].flatMap((result) => (result.status === 'rejected' ? [result.reason as DnsError] : []));
  const first = errors.find((error) => error.kind === 'temporary') ?? errors[0];
  throw first ?? new DnsError('not-found', 'ENODATA', name, 'A/AAAA');
}

function normalizeHost(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}
