import { z } from 'zod';

/**
 * Progress of a message across attempts, kept in the job's data under `delivery` (job.updateData) so that a
 * recipient delivered or bounced in one attempt is never sent again in the next, whichever worker runs it.
 */
export const deliveryStateSchema = z.object({
  /** Attempts finished so far; the running attempt is `attempts + 1`. */
  attempts: z.number().int().nonnegative(),
  /** Unexpected failures in a row (exceptions); reset by a finished attempt. */
  failures: z.number().int().nonnegative(),
  /** Recipients that need nothing more, by address. */
  done: z.record(z.string(), z.enum(['delivered', 'bounced'])),
});

export type DeliveryState = z.infer<typeof deliveryStateSchema>;

export const INITIAL_STATE: DeliveryState = { attempts: 0, failures: 0, done: {} };

export function readState(data: unknown): DeliveryState | undefined {
  const raw = typeof data === 'object' && data !== null ? (data as { delivery?: unknown }).delivery : undefined;
  if (raw === undefined) return INITIAL_STATE;
  const parsed = deliveryStateSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/** Exponential back-off after attempt `attempt` (1-based): base, 2×base, 4×base, … capped at max. */
export function backoffDelay(attempt: number, policy: BackoffPolicy): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  return Math.min(policy.baseMs * 2 ** exponent, policy.maxMs);
}

/**
 * When to try again: after the back-off, but no later than the deadline, so the last attempt happens when the
 * queue lifetime ends rather than a whole back-off period after it.
 */
export function nextAttemptAt(now: number, attempt: number, deadline: number, policy: BackoffPolicy): number {
  return Math.min(now + backoffDelay(attempt, policy), Math.max(deadline, now));
}
