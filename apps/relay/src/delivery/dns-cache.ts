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
  const mx = answerCache<MxResult>(options);
  const addresses = answerCache<string[]>(options);
  return {
    txt: (name) => resolver.txt(name),
    cname: (name) => resolver.cname(name),
    ipv4: (name) => resolver.ipv4(name),
    addresses: async (name) => [...(await addresses(name, () => resolver.addresses(name)))],
    mx: async (name) => {
      const result = await mx(name, () => resolver.mx(name));
      if (result.kind !== 'hosts' || result.hosts.length < 2) return result;
      const reordered = orderMx(result.hosts);
      return reordered.kind === 'hosts' ? { ...reordered, implicit: result.implicit } : result;
    },
  };
}

/**
 * Successful answers per name (case-insensitive) for `ttlMs`, at most `maxEntries` names (oldest dropped first),
 * with concurrent lookups of one name merged into one. Failures are never kept.
 */
export function answerCache<T>(options: DnsCacheOptions): (name: string, lookup: () => Promise<T>) => Promise<T> {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 10_000;
  const cache = new Map<string, Entry<T>>();
  const inflight = new Map<string, Promise<T>>();
  return (name, lookup) => {
    const key = name.toLowerCase();
    const hit = cache.get(key);
    if (hit && hit.expiresAt > now()) return Promise.resolve(hit.value);
    const pending = inflight.get(key);
    if (pending) return pending;
    const fresh = lookup().then(
      (value) => {
        inflight.delete(key);
        cache.delete(key);
        if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
        cache.set(key, { value, expiresAt: now() + options.ttlMs });
        return value;
      },
      (error: unknown) => {
        inflight.delete(key);
        throw error;
      },
    );
    inflight.set(key, fresh);
    return fresh;
  };
}

