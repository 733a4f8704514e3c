import { z } from 'zod';

/**
 * Jobs that must never be retried again: a payload that fails validation, or a message whose processing keeps
 * failing unexpectedly. Nothing consumes this queue automatically; operators inspect it (the reason is on every
 * job) and re-enqueue by hand once the cause is fixed. No ':' in the name (BullMQ forbids it).
 */
export const DEAD_LETTER_QUEUE_NAME = 'delivery-dead-letter' as const;

export const deadLetterSchema = z.object({
  /** The queue the job came from and its id there (the message id for delivery jobs). */
  sourceQueue: z.string().min(1).max(64),
  sourceJobId: z.string().min(1).max(256),
  /** Why it was dead-lettered, readable by an operator (validation issues, last error). */
  reason: z.string().min(1).max(2000),
  /** How many times processing was tried before giving up. */
  attempts: z.number().int().nonnegative(),
  deadLetteredAt: z.iso.datetime({ offset: true }),
  /** The original job data exactly as found, so nothing is lost even when it does not parse. */
  payload: z.unknown(),
});

export type DeadLetter = z.infer<typeof deadLetterSchema>;

export function parseDeadLetter(input: unknown): DeadLetter {
  return deadLetterSchema.parse(input);
}
