import { REFUSAL_CODES } from '@smarthost/relay-policy';
import { z } from 'zod';
import { clampInstant, INSTANT_MAX, INSTANT_MIN, instant, queryInteger } from '../core/input-schemas';
import { pageSchema } from '../core/pagination';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Raw events are kept EVENT_RETENTION_DAYS (30 by default); a longer range would only scan for nothing. */
const MAX_RANGE_MS = 31 * DAY_MS;

const reason = z.enum(REFUSAL_CODES as [string, ...string[]], { message: `must be one of the relay's refusal codes (${REFUSAL_CODES.join(', ')})` });

const CURSOR = /^(\d{1,15})-(\d{1,19})$/;
const INT8_MAX = 2n ** 63n - 1n;
const rejectionCursor = z
  .string()
  .regex(CURSOR, 'must be a cursor returned by a previous page')
  .transform((value) => {
    const [, ms, id] = CURSOR.exec(value) as RegExpExecArray;
    return { occurredAt: new Date(Number(ms)), id: BigInt(id as string) };
  })
  // Event ids are int8; a cursor we issued names an instant we accept and an id Postgres can hold.
  .refine((c) => c.occurredAt >= INSTANT_MIN && c.occurredAt < INSTANT_MAX && c.id <= INT8_MAX, 'must be a cursor returned by a previous page');

export const encodeRejectionCursor = (row: { occurredAt: Date; id: string }) => `${row.occurredAt.getTime()}-${row.id}`;

export interface RejectionRange {
  from: Date;
  to: Date;
}

/** Defaults to the last 24 hours; `to` defaults to now and `from` to a day before it. */
export function rejectionRange(q: { from?: Date | undefined; to?: Date | undefined }, now = new Date()): RejectionRange {
  const to = q.to ?? now;
  return { from: q.from ?? clampInstant(new Date(to.getTime() - DAY_MS)), to };
}

function checkRange(q: { from?: Date | undefined; to?: Date | undefined }, ctx: z.RefinementCtx): void {
  // zod runs object refinements even when a field failed; that field's issue is already reported.
  if (!(q.from === undefined || q.from instanceof Date) || !(q.to === undefined || q.to instanceof Date)) return;
  const range = rejectionRange(q);
  if (range.from >= range.to) return void ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
  if (range.to.getTime() - range.from.getTime() > MAX_RANGE_MS) ctx.addIssue({ code: 'custom', path: ['from'], message: 'range must not exceed 31 days' });
}

export const rejectionReasonsQuery = z.strictObject({ from: instant.optional(), to: instant.optional() }).superRefine(checkRange);
export type RejectionReasonsQuery = z.infer<typeof rejectionReasonsQuery>;

export const listRejectionsQuery = z
  .strictObject({
    reason: reason.optional(),
    from: instant.optional(),
    to: instant.optional(),
    limit: queryInteger({ min: 1, max: 200, default: 50 }),
    cursor: rejectionCursor.optional(),
  })
  .superRefine(checkRange);
export type ListRejectionsQuery = z.infer<typeof listRejectionsQuery>;

export const rejectionView = z.object({
  id: z.string(),
  occurredAt: z.date(),
  /** The relay's refusal code (libs/relay-policy RefusalCode). */
  reason: z.string(),
  smtpCode: z.number().int().nullable(),
  enhancedCode: z.string().nullable(),
  /** The reply the client was given. */
  reply: z.string().nullable(),
  /** The recipient refused, when the refusal named one. */
  recipient: z.string().nullable(),
  relayNode: z.string().nullable(),
});
export type RejectionView = z.infer<typeof rejectionView>;

export const rejectionPage = pageSchema(rejectionView);

export const rejectionReasons = z.object({
  from: z.date(),
  to: z.date(),
  /** Every refusal counted once per recipient it named, as in the stats' `rejected`; largest first. */
  reasons: z.array(z.object({ reason: z.string(), count: z.number().int() })),
});
export type RejectionReasons = z.infer<typeof rejectionReasons>;
