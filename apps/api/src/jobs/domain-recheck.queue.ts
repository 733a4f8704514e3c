import { z } from 'zod';

/** Queue of the scheduled DNS re-check of verified domains; BullMQ keys live under config REDIS_PREFIX. */
export const DOMAIN_RECHECK_QUEUE = 'domain-recheck';

/** One scheduler for the whole deployment: every API process upserts the same id, so there is never a second one. */
export const DOMAIN_RECHECK_SCHEDULER_ID = 'domain-recheck-sweep';

// Customers rarely break DNS on purpose; every 6 hours shows drift the same day without loading their name servers.
export const DOMAIN_RECHECK_EVERY_MS = 6 * 60 * 60 * 1000;

export const SWEEP_JOB = 'sweep';
export const RECHECK_JOB = 'recheck';

export const recheckPayload = z.object({ domainId: z.uuid() });
export type RecheckPayload = z.infer<typeof recheckPayload>;
/** A sweep carries nothing: it reads the verified domains when it runs. */
export type DomainRecheckData = RecheckPayload | Record<string, never>;

/** Deterministic: a retried sweep enqueues the same ids, and BullMQ ignores a job id it already has. */
export function recheckJobId(domainId: string, sweepId: string): string {
  return `recheck-${domainId}-${sweepId.replace(/:/g, '-')}`;
}
