import { z } from 'zod';

export interface DkimSigningKey {
  /** `d=`: the signing domain. */
  domain: string;
  /** `s=`: where the public key is published (`<selector>._domainkey.<domain>`). */
  selector: string;
  /** Secret. Never logged (the logger also redacts `privateKey*`). */
  privateKeyPem: string;
  algorithm: string;
}

/** The active signing key of a sending domain; null when the domain has none (yet). */
export interface DkimKeyProvider {
  keyFor(domainId: string): Promise<DkimSigningKey | null>;
}

export class DkimKeyUnavailableError extends Error {
  override readonly name = 'DkimKeyUnavailableError';
}

const keyResponse = z.object({
  domain: z.string().min(1).max(253),
  selector: z.string().min(1).max(63),
  privateKeyPem: z.string().includes('PRIVATE KEY'),
  algorithm: z.enum(['rsa-sha256', 'ed25519-sha256']).default('rsa-sha256'),
});

interface CacheEntry {
  key: DkimSigningKey | null;
  expiresAt: number;
}

export interface HttpDkimKeyProviderOptions {
  apiUrl: string;
  /** Secret: the node token. */
  nodeToken: string;
  ttlMs: number;
  timeoutMs?: number;
  now?: () => number;
}

/**
 * Keys from the API's `GET /v1/relay/dkim/{domainId}` (node token), cached for `ttlMs` so a busy worker asks once
 * per domain and TTL. When a refresh fails the last key is used on (a rotated key's record stays published while
 * mail signed with it is in flight); with no key known the failure is thrown and the message is retried.
 */
export class HttpDkimKeyProvider implements DkimKeyProvider {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inflight = new Map<string, Promise<DkimSigningKey | null>>();
  private readonly now: () => number;

  constructor(private readonly options: HttpDkimKeyProviderOptions) {
    this.now = options.now ?? Date.now;
  }

  async keyFor(domainId: string): Promise<DkimSigningKey | null> {
    const cached = this.cache.get(domainId);
    if (cached && cached.expiresAt > this.now()) return cached.key;
    let pending = this.inflight.get(domainId);
    if (!pending) {
      pending = this.fetchKey(domainId).finally(() => this.inflight.delete(domainId));
      this.inflight.set(domainId, pending);
    }
    try {
      const key = await pending;
      this.cache.set(domainId, { key, expiresAt: this.now() + this.options.ttlMs });
      return key;
    } catch (error) {
      if (cached) return cached.key;
      throw error;
    }
  }

  private async fetchKey(domainId: string): Promise<DkimSigningKey | null> {
    const url = new URL(`/v1/relay/dkim/${encodeURIComponent(domainId)}`, this.options.apiUrl);
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { authorization: `Bearer ${this.options.nodeToken}`, accept: 'application/json' },
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new DkimKeyUnavailableError(`DKIM key request failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new DkimKeyUnavailableError(`DKIM key request failed: HTTP ${response.status}`);
    }
    const parsed = keyResponse.safeParse(await response.json().catch(() => undefined));
    // The issues would echo the body, which holds the private key: name the fields only.
    if (!parsed.success) throw new DkimKeyUnavailableError(`DKIM key response invalid: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    return parsed.data;
  }
}
