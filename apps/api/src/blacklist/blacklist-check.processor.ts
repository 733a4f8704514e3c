import type { Job } from 'bullmq';
import { type BlacklistCheckDeps, type BlacklistCheckSummary, runBlacklistCheck } from './blacklist-checker';
import { BLACKLIST_SWEEP_JOB } from './blacklist-check.queue';

/**
 * Thin: one sweep checks every target itself, unlike the domain re-check's fan-out. A lookup is one small query, so
 * a job per pair would cost more than it spares, and a failed lookup is already skipped rather than failing the job.
 */
export async function processBlacklistCheckJob(deps: BlacklistCheckDeps, job: Pick<Job, 'name'>): Promise<BlacklistCheckSummary> {
  if (job.name !== BLACKLIST_SWEEP_JOB) throw new Error(`unknown ${job.name} job in the blacklist check queue`);
  return runBlacklistCheck(deps);
}
