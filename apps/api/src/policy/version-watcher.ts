import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { PrismaClient } from '@smarthost/db';
import type { Logger } from '@smarthost/logger';
import { LOGGER, PRISMA } from '../core/tokens';
import { currentPolicyVersion } from './policy-version';

/** How often the one watcher of this process reads the version while someone waits. */
export const POLL_INTERVAL_MS = 200;

interface Waiter {
  since: number;
  settle(version: number | null): void;
}

/**
 * Lets long-polling requests wait for a policy version newer than theirs. However many requests wait, this process
 * runs a single `SELECT max(version)` every POLL_INTERVAL_MS, and none at all when nobody waits. Polling rather than
 * LISTEN/NOTIFY: a missed notification can never strand a waiter, it needs no dedicated connection, and it sees
 * changes written through any API instance.
 */
@Injectable()
export class PolicyVersionWatcher implements OnModuleDestroy {
  private readonly waiters = new Set<Waiter>();
  private latest = 0;
  private polling = false;
  private closed = false;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Resolves with a version above `since` as soon as one is committed, or with null when `timeoutMs` passes, the
   * signal aborts (the client went away) or the app shuts down.
   */
  waitBeyond(since: number, timeoutMs: number, signal: AbortSignal): Promise<number | null> {
    if (this.latest > since) return Promise.resolve(this.latest);
    if (this.closed || signal.aborted) return Promise.resolve(null);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        since,
        settle: (version) => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          this.waiters.delete(waiter);
          resolve(version);
        },
      };
      const onAbort = () => waiter.settle(null);
      const timer = setTimeout(() => waiter.settle(null), timeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(waiter);
      this.startPolling();
    });
  }

  onModuleDestroy(): void {
    this.closed = true;
    for (const waiter of [...this.waiters]) waiter.settle(null);
  }

  private startPolling(): void {
    if (this.polling) return;
    this.polling = true;
    void this.pollWhileWaited();
  }

  // The loop's exit check and `polling = false` run without an await between them, so a waiter added meanwhile
  // either sees polling still true (and is served by this loop) or starts a new loop.
  private async pollWhileWaited(): Promise<void> {
    while (this.waiters.size > 0 && !this.closed) {
      await sleep(POLL_INTERVAL_MS);
      await this.pollOnce();
    }
    this.polling = false;
  }

  private async pollOnce(): Promise<void> {
    try {
      this.latest = Math.max(this.latest, await currentPolicyVersion(this.prisma));
    } catch (error) {
      // Waiters keep waiting (their own timeouts still apply); the next poll tries again.
      this.logger.warn({ err: error }, 'reading the policy version failed; retrying');
      return;
    }
    for (const waiter of [...this.waiters]) {
      if (this.latest > waiter.since) waiter.settle(this.latest);
    }
  }
}
