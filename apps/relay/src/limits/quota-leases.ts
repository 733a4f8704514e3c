import type { CredentialPolicy, TenantPolicy } from '@smarthost/relay-policy';

/**
 * Units of every quota window of one credential that this node has already counted in Redis and hands out
 * locally, one per recipient, without a round trip. Granted under one tenant and credential policy (the objects
 * themselves: a policy change replaces them, and the lease stops being used) and for one minute (its keys).
 */
export interface Lease {
  readonly credentialId: string;
  readonly keys: readonly string[];
  readonly minute: number;
  readonly tenant: TenantPolicy;
  readonly credential: CredentialPolicy;
  granted: number;
  used: number;
  lastUsed: number;
}

/** What a retired lease gives back to the Redis counters: the units it counted and never used. */
export interface Unused {
  keys: readonly string[];
  amount: number;
}

/** The node's leases, one per credential at most. Pure bookkeeping: QuotaCounter talks to Redis. */
export class LeaseBook {
  private readonly leases = new Map<string, Lease>();

  constructor(private readonly idleMs: number) {}

  get size(): number {
    return this.leases.size;
  }

  /** One unit of the credential's lease, if it has one for this minute and these policies with a unit left. */
  take(tenant: TenantPolicy, credential: CredentialPolicy, minute: number, now: number): Lease | undefined {
    const lease = this.leases.get(credential.id);
    if (lease === undefined || lease.minute !== minute || lease.tenant !== tenant || lease.credential !== credential) return undefined;
    if (lease.used >= lease.granted) return undefined;
    lease.used += 1;
    lease.lastUsed = now;
    return lease;
  }

  /** Records a lease of `granted` units counted in Redis, one of them used now; a lease it replaces goes back unused. */
  grant(fresh: Omit<Lease, 'used' | 'lastUsed'>, now: number): { lease: Lease; replaced: Unused | null } {
    const current = this.leases.get(fresh.credentialId);
    const replaced = current === undefined ? null : this.retire(current);
    const lease: Lease = { ...fresh, used: 1, lastUsed: now };
    this.leases.set(lease.credentialId, lease);
    return { lease, replaced };
  }

  /** A unit of a transaction that was not accepted goes back to its lease; false when the lease is retired. */
  giveBack(lease: Lease): boolean {
    if (this.leases.get(lease.credentialId) !== lease || lease.used === 0) return false;
    lease.used -= 1;
    return true;
  }

  /** Retires the credential's lease if it no longer serves this minute and these policies. */
  retireStale(tenant: TenantPolicy, credential: CredentialPolicy, minute: number): Unused | null {
    const lease = this.leases.get(credential.id);
    if (lease === undefined) return null;
    if (lease.minute === minute && lease.tenant === tenant && lease.credential === credential && lease.used < lease.granted) return null;
    return this.retire(lease);
  }

  /** Retires the leases unused for `idleMs` or from an earlier minute. */
  retireIdle(now: number): Unused[] {
    const minute = Math.floor(now / 60_000);
    const due = [...this.leases.values()].filter((lease) => lease.minute !== minute || now - lease.lastUsed >= this.idleMs);
    return due.map((lease) => this.retire(lease)).filter((unused): unused is Unused => unused !== null);
  }

  retireAll(): Unused[] {
    return [...this.leases.values()].map((lease) => this.retire(lease)).filter((unused): unused is Unused => unused !== null);
  }

  private retire(lease: Lease): Unused | null {
    this.leases.delete(lease.credentialId);
    const amount = lease.granted - lease.used;
    return amount > 0 ? { keys: lease.keys, amount } : null;
  }
}
