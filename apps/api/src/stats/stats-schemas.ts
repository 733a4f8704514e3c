import { parseDomain } from '@smarthost/relay-policy';
import { z } from 'zod';
import { clampInstant, instant } from '../core/input-schemas';

export const COUNTERS = ['accepted', 'rejected', 'delivered', 'deferred', 'bounced', 'suppressed', 'failed', 'complained'] as const;
export type Counters = Record<(typeof COUNTERS)[number], number>;

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** Longest range per granularity: a month of hourly points, or the rollup retention's worth of days. */
const MAX_RANGE_MS = { hour: 31 * DAY_MS, day: 400 * DAY_MS } as const;
const DEFAULT_RANGE_MS = { hour: DAY_MS, day: 30 * DAY_MS } as const;
const STEP_MS = { hour: HOUR_MS, day: DAY_MS } as const;

const domain = z
  .string()
  .max(253)
  .transform((value, ctx) => {
    const parsed = parseDomain(value.trim());
    if (parsed.ok) return parsed.domain;
    ctx.addIssue({ code: 'custom', message: `must be a domain name (${parsed.reason})` });
    return z.NEVER;
  });

export interface StatsRange {
  granularity: 'hour' | 'day';
  /** Aligned to the start of a UTC bucket. */
  from: Date;
  /** Exclusive, aligned to a bucket boundary (rounded up). */
  to: Date;
}

/** Aligns a range to whole UTC buckets (day = the sum of its 24 UTC hours); from defaults to one period before to. */
export function statsRange(granularity: 'hour' | 'day', from: Date | undefined, to: Date | undefined, now = new Date()): StatsRange {
  const step = STEP_MS[granularity];
  const end = to ?? now;
  const start = from ?? new Date(end.getTime() - DEFAULT_RANGE_MS[granularity]);
  // Clamped after rounding: a range ending at the last accepted instant must not round past it (issue 13).
  const first = clampInstant(new Date(Math.floor(start.getTime() / step) * step));
  const last = clampInstant(new Date(Math.ceil(end.getTime() / step) * step));
  return { granularity, from: first, to: last };
}

function checkRange(granularity: 'hour' | 'day', q: { from?: Date | undefined; to?: Date | undefined }, ctx: z.RefinementCtx): void {
  // zod runs object refinements even when a field failed; that field's issue is already reported.
  if (!isDateOrUnset(q.from) || !isDateOrUnset(q.to)) return;
  if (q.from && q.to && q.from >= q.to) return void ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
  const range = statsRange(granularity, q.from, q.to);
  if (range.to.getTime() - range.from.getTime() > MAX_RANGE_MS[granularity]) {
    ctx.addIssue({ code: 'custom', path: ['from'], message: `range must not exceed ${MAX_RANGE_MS[granularity] / DAY_MS} days for ${granularity} granularity` });
  }
}

const isDateOrUnset = (value: unknown) => value === undefined || value instanceof Date;

const rangeFields = { from: instant.optional(), to: instant.optional() };

export const statsQuery = z
  .strictObject({ granularity: z.enum(['hour', 'day']).default('hour'), ...rangeFields, domain: domain.optional() })
  .superRefine((q, ctx) => checkRange(q.granularity, q, ctx));

/** The per-domain breakdown sums whole UTC days. */
export const domainStatsQuery = z.strictObject(rangeFields).superRefine((q, ctx) => checkRange('day', q, ctx));

export type StatsQuery = z.infer<typeof statsQuery>;
export type DomainStatsQuery = z.infer<typeof domainStatsQuery>;

const counters = z.object(Object.fromEntries(COUNTERS.map((c) => [c, z.number().int()])) as Record<(typeof COUNTERS)[number], z.ZodNumber>);

export const statsSeries = z.object({
  granularity: z.enum(['hour', 'day']),
  from: z.date(),
  to: z.date(),
  domain: z.string().nullable(),
  totals: counters,
  buckets: z.array(counters.extend({ start: z.date() })),
});

export const domainStats = z.object({
  from: z.date(),
  to: z.date(),
  /** `domain` is null for events without a sending domain (e.g. refusals before MAIL FROM). */
  domains: z.array(counters.extend({ domain: z.string().nullable() })),
});

export type StatsSeries = z.infer<typeof statsSeries>;
export type DomainStats = z.infer<typeof domainStats>;
