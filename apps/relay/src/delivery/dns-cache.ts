import { orderMx, type DnsResolver, type MxResult } from '@smarthost/dns';

export interface DnsCacheOptions {
  /** How long a successful answer is reused; 0 turns the cache off. */
  ttlMs: number;
  /** Names kept at most (oldest dropped first). */
  maxEntries?: number;
  now?: () => number;
}

interface Entry<T> {
  value: T;
  expiresAt: number;
}

/**
 * A short-lived cache of successful MX and address answers in front of the resolver, with concurrent lookups
 * of one name merged. Without it a busy worker asks MX, A and AAAA again for every message to the same
 * domain. Failures are never cached (a deferral asks again at the next attempt), answers live a few seconds
 * (below any sane record TTL; the resolver API gives no TTL), and hosts of equal MX preference are shuffled
 * again on every use, as RFC 5321 §5.1 asks, so load still spreads over them.
 */
export function cachingResolver(resolver: DnsResolver, options: DnsCacheOptions): DnsResolver {
  if (options.ttlMs <= 0) return resolver;
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 10_000;
  const mx = new Map<string, Entry<MxResult>>();
  const addresses = new Map<string, Entry<string[]>>();
  const inflight = new Map<string, Promise<unknown>>();

  const cached = <T>(cache: Map<string, Entry<T>>, kind: string, name: string, lookup: () => Promise<T>): Promise<T> => {
    const key = name.toLowerCase();
    const hit = cache.get(key);
    if (hit && hit.expiresAt > now()) return Promise.resolve(hit.value);
    const flightKey = `${kind}:${key}`;
    const pending = inflight.get(flightKey) as Promise<T> | undefined;
    if (pending) return pending;
    const fresh = lookup().then(
      (value) => {
        inflight.delete(flightKey);
        cache.delete(key);
        if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
        cache.set(key, { value, expiresAt: now() + options.ttlMs });
        return value;
      },
      (error: unknown) => {
        inflight.delete(flightKey);
        throw error;
      },
    );
    inflight.set(flightKey, fresh);
    return fresh;
  };

  return {
    txt: (name) => resolver.txt(name),
    cname: (name) => resolver.cname(name),
    addresses: async (name) => [...(await cached(addresses, 'addr', name, () => resolver.addresses(name)))],
    mx: async (name) => {
      const result = await cached(mx, 'mx', name, () => resolver.mx(name));
      if (result.kind !== 'hosts' || result.hosts.length < 2) return result;
      const reordered = orderMx(result.hosts);
      return reordered.kind === 'hosts' ? { ...reordered, implicit: result.implicit } : result;
    },
  };
}
