import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '@smarthost/db';
import type { PolicyDelta } from '@smarthost/relay-policy';
import type { Pool } from 'pg';
import { AppError } from '../core/app-error';
import { PRISMA } from '../core/tokens';
import { buildDelta } from './delta-builder';
import { POLICY_PG_POOL } from './policy-pool';
import { currentPolicyVersion, oldestPolicyVersion } from './policy-version';
import { type SnapshotSink, writeSnapshot } from './snapshot-builder';
import { PolicyVersionWatcher } from './version-watcher';

@Injectable()
export class PolicySyncService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(POLICY_PG_POOL) private readonly pool: Pool,
    private readonly watcher: PolicyVersionWatcher,
  ) {}

  snapshot(sink: SnapshotSink): Promise<number> {
    return writeSnapshot(this.pool, sink);
  }

  /**
   * The delta from `since` to the current version. When the node is already current, waits up to `waitSeconds` for
   * a change; null means none came (the node asks again).
   */
  async changesSince(since: number, waitSeconds: number, signal: AbortSignal): Promise<PolicyDelta | null> {
    await this.assertCatchable(since);
    const delta = await buildDelta(this.prisma, since);
    if (delta || waitSeconds === 0) return delta;
    const newer = await this.watcher.waitBeyond(since, waitSeconds * 1000, signal);
    return newer === null ? null : buildDelta(this.prisma, since);
  }

  /**
   * 410 tells the node to fetch a snapshot: its version is ahead of ours (the database was restored, or it talks to
   * another stack), or older than the log still holds (pruned), so no delta can bring it up to date.
   */
  private async assertCatchable(since: number): Promise<void> {
    const [current, oldest] = await Promise.all([currentPolicyVersion(this.prisma), oldestPolicyVersion(this.prisma)]);
    if (since > current) throw new AppError('gone', `policy version ${since} is unknown; fetch a snapshot`);
    if (oldest !== null && since < oldest - 1) {
      throw new AppError('gone', `policy version ${since} is older than the change log; fetch a snapshot`);
    }
  }
}
