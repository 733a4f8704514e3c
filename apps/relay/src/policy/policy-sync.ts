import type { Logger } from '@smarthost/logger';
import { PolicyIndexError } from '@smarthost/relay-policy';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PolicyApiClient } from './policy-api-client';
import { readPolicyCache, writePolicyCache } from './policy-cache-file';
import type { PolicyStore } from './policy-store';

export interface PolicySyncOptions {
  cacheFile: string;
  /** Long-poll wait; kept well below the staleness limit so an idle but healthy API never looks stale. */
  waitSeconds: number;
  cacheWriteDebounceMs?: number;
  /**
   * Rewrite the cache after an unchanged poll once its recorded sync time is this old, so that a node restarted
   * during an API outage counts staleness from its last contact, not from the last policy change.
   */
  cacheRefreshMs: number;
}

const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 30_000;

/**
 * Keeps the PolicyStore current: the disk cache first (so a node restarted while the API is down can serve),
 * then a snapshot, then deltas by long-poll. Every change is written back to the cache, debounced, because a
 * burst of deltas should cost one fsync, not one per delta.
 */
export class PolicySync {
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private writeTimer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private cachedSyncAt = 0;

  constructor(
    private readonly store: PolicyStore,
    private readonly api: PolicyApiClient,
    private readonly options: PolicySyncOptions,
    private readonly logger: Logger,
  ) {
    store.onChange(() => this.scheduleCacheWrite());
  }

  async loadCache(): Promise<void> {
    try {
      const cached = await readPolicyCache(this.options.cacheFile);
      if (cached === null) return;
      this.store.replace(cached.index, cached.syncedAt);
      this.logger.info({ version: cached.index.version, syncedAt: new Date(cached.syncedAt).toISOString() }, 'policy loaded from cache');
    } catch (error) {
      this.logger.error({ err: error, file: this.options.cacheFile }, 'policy cache unreadable, ignoring it');
    }
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    if (this.writeTimer !== undefined) {
      clearTimeout(this.writeTimer);
      this.writeTimer = undefined;
      this.writeCache();
    }
    await this.writing;
  }

  private async run(): Promise<void> {
    let backoff = BACKOFF_MIN_MS;
    while (!this.abort.signal.aborted) {
      try {
        await this.step();
        backoff = BACKOFF_MIN_MS;
      } catch (error) {
        if (this.abort.signal.aborted) return;
        this.logger.warn({ err: error, retryInMs: backoff, policy: this.store.status() }, 'policy sync failed');
        await sleep(backoff, undefined, { signal: this.abort.signal }).catch(() => undefined);
        backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
      }
    }
  }

  /** One exchange with the API. The cached index does not count as synced: a fresh node always pulls a snapshot. */
  private synced = false;

  private async step(): Promise<void> {
    const index = this.store.index;
    if (!this.synced || index === null) return this.pullSnapshot();
    const result = await this.api.changes(index.version, this.options.waitSeconds, this.abort.signal);
    if (result.kind === 'unchanged') {
      this.logger.debug({ version: index.version }, 'policy unchanged');
      this.store.markSynced();
      if ((this.store.lastSyncAt ?? 0) - this.cachedSyncAt >= this.options.cacheRefreshMs) this.scheduleCacheWrite();
      return;
    }
    if (result.kind === 'gone') return this.pullSnapshot();
    try {
      this.store.applyDelta(result.delta);
      this.logger.info({ version: result.delta.toVersion, changes: result.delta.changes.length }, 'policy delta applied');
    } catch (error) {
      if (!(error instanceof PolicyIndexError)) throw error;
      // A delta that does not fit (version gap, conflicting ids) means our view diverged: start over.
      this.logger.warn({ err: error }, 'policy delta refused, pulling a snapshot');
      await this.pullSnapshot();
    }
  }

  private async pullSnapshot(): Promise<void> {
    const index = await this.api.snapshot(this.abort.signal);
    this.store.replace(index);
    this.synced = true;
    this.logger.info({ version: index.version }, 'policy snapshot loaded');
  }

  private scheduleCacheWrite(): void {
    if (this.writeTimer !== undefined) return;
    this.writeTimer = setTimeout(() => {
      this.writeTimer = undefined;
      this.writeCache();
    }, this.options.cacheWriteDebounceMs ?? 200);
    this.writeTimer.unref();
  }

  private writeCache(): void {
    const index = this.store.index;
    const syncedAt = this.store.lastSyncAt;
    if (index === null || syncedAt === null) return;
    const snapshot = index.toSnapshot();
    this.cachedSyncAt = syncedAt;
    this.writing = this.writing
      .then(() => writePolicyCache(this.options.cacheFile, snapshot, syncedAt))
      .catch((error: unknown) => this.logger.error({ err: error, file: this.options.cacheFile }, 'policy cache write failed'));
  }
}
