import { z } from 'zod';

/**
 * Building blocks for request schemas whose bounds are the storage's, so anything a schema lets through the
 * database can hold: a value refused here is a 400 naming the field, not a Postgres error turned 500 (issue 13).
 */

/** A UUID in canonical lower case: ids are compared as strings in places (DKIM sealing context, audit metadata). */
export const uuid = z
  .uuid({ message: 'must be a UUID' })
  .transform((value) => value.toLowerCase());

/** Postgres `integer` (int4), which every Int column in the Prisma schema is. */
export const INT4_MAX = 2_147_483_647;

/** A non-negative count or limit that fits an int4 column. */
export const int4 = (min = 0) => z.number().int().min(min).max(INT4_MAX);

/**
 * Instants the API accepts. Postgres goes back to 4713 BC, but JavaScript and the driver disagree on years before
 * 1 AD and after 9999; nothing we store predates the Unix epoch or needs to be planned beyond the year 2999, so
 * this range keeps bucket arithmetic (rounding to days, default ranges of a few weeks) far inside both.
 */
export const INSTANT_MIN = new Date('1970-01-01T00:00:00Z');
export const INSTANT_MAX = new Date('3000-01-01T00:00:00Z');

export const instant = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 date-time' })
  .transform((value) => new Date(value))
  .refine((date) => date >= INSTANT_MIN && date < INSTANT_MAX, {
    message: `must be between ${INSTANT_MIN.toISOString()} and ${INSTANT_MAX.toISOString()}`,
  });

/** Clamps a computed instant (a rounded bucket edge, a default range start) into the accepted range. */
export function clampInstant(date: Date): Date {
  if (date < INSTANT_MIN) return INSTANT_MIN;
  if (date > INSTANT_MAX) return INSTANT_MAX;
  return date;
}

/**
 * An integer in a query string, decimal digits only: `Number()` and `z.coerce` read `0x10`, `1e3` and `  7 ` too,
 * which no client means and which made `wait=0x10` a 16 s long-poll. Documented as an integer with its bounds.
 */
export function queryInteger(bounds: { min: number; max: number; default: number }): z.ZodType<number, string | undefined>;
export function queryInteger(bounds: { min: number; max: number }): z.ZodType<number | undefined, string | undefined>;
export function queryInteger(bounds: { min: number; max: number; default?: number }): z.ZodType<number | undefined, string | undefined> {
  const digits = String(bounds.max).length;
  const schema = z
    .string()
    .regex(new RegExp(`^\\d{1,${digits}}$`), { message: `must be a decimal integer from ${bounds.min} to ${bounds.max}` })
    .transform(Number)
    .pipe(z.number().int().min(bounds.min).max(bounds.max))
    .optional();
  const meta = { queryInteger: true, minimum: bounds.min, maximum: bounds.max };
  const fallback = bounds.default;
  if (fallback === undefined) return schema.meta(meta);
  return schema.transform((value) => value ?? fallback).meta({ ...meta, default: fallback });
}

/** Postgres `bigint` (int8): the audit log's ids. */
const INT8_MAX = 9_223_372_036_854_775_807n;

/** A cursor over a bigint id sequence: decimal, and no larger than the column can hold. */
export const bigintCursor = z
  .string()
  .regex(/^\d{1,19}$/, { message: 'must be a cursor returned by a previous page' })
  .transform((value) => BigInt(value))
  .refine((value) => value <= INT8_MAX, { message: 'must be a cursor returned by a previous page' });
