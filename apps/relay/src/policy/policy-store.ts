import { PolicyIndex, type PolicyDelta } from '@smarthost/relay-policy';

export interface PolicyStatus {
  loaded: boolean;
  version: number | null;
  /** When the node last confirmed its policy is current with the API (or the cache file's time). */
  lastSyncAt: string | null;
  ageSeconds: number | null;
  stale: boolean;
}

/**
 * The node's current policy and how fresh it is. Decisions ask `current()`: it returns nothing before a
 * policy is loaded and once the last confirmed sync is older than the staleness limit, so the SMTP handlers
 * answer 451 instead of deciding from a policy that may have revoked credentials or suspended tenants since.
 */
export class PolicyStore {
  #index: PolicyIndex | null = null;
  #lastSyncAt: number | null = null;
  readonly #listeners: Array<(index: PolicyIndex) => void> = [];

  constructor(
    private readonly maxStalenessMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  current(): PolicyIndex | null {
    return this.isFresh() ? this.#index : null;
  }

  /** The index whatever its age (heartbeat, cache writes); never use it for decisions. */
  get index(): PolicyIndex | null {
    return this.#index;
  }

  get lastSyncAt(): number | null {
    return this.#lastSyncAt;
  }

  replace(index: PolicyIndex, syncedAt: number = this.now()): void {
    this.#index = index;
    this.#lastSyncAt = syncedAt;
    this.changed(index);
  }

  /** Applies atomically (PolicyIndex rolls back on conflict) and throws PolicyIndexError on mismatch. */
  applyDelta(delta: PolicyDelta): void {
    const index = this.#index;
    if (index === null) throw new Error('no policy loaded to apply a delta to');
    index.applyDelta(delta);
    this.#lastSyncAt = this.now();
    this.changed(index);
  }

  /** The API answered "nothing changed": the policy is confirmed current. */
  markSynced(): void {
    if (this.#index !== null) this.#lastSyncAt = this.now();
  }

  onChange(listener: (index: PolicyIndex) => void): void {
    this.#listeners.push(listener);
  }

  status(): PolicyStatus {
    const age = this.#lastSyncAt === null ? null : Math.max(0, (this.now() - this.#lastSyncAt) / 1000);
    return {
      loaded: this.#index !== null,
      version: this.#index?.version ?? null,
      lastSyncAt: this.#lastSyncAt === null ? null : new Date(this.#lastSyncAt).toISOString(),
      ageSeconds: age === null ? null : Math.round(age),
      stale: !this.isFresh(),
    };
  }

  private isFresh(): boolean {
    return this.#index !== null && this.#lastSyncAt !== null && this.now() - this.#lastSyncAt <= this.maxStalenessMs;
  }

  private changed(index: PolicyIndex): void {
    for (const listener of this.#listeners) listener(index);
  }
}
