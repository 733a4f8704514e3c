import { Inject, Injectable } from '@nestjs/common';
import { Prisma, type PrismaClient } from '@smarthost/db';
import type { TenantContext } from '../auth/principal';
import { PRISMA } from '../core/tokens';
import { COUNTERS, type Counters, type DomainStats, type DomainStatsQuery, statsRange, type StatsQuery, type StatsSeries } from './stats-schemas';

type CounterRow = Record<(typeof COUNTERS)[number], bigint | null>;

// Sums of the rollup columns; bigint because a year of a large tenant's hours can pass 2^31.
const SUMS = Prisma.raw(COUNTERS.map((c) => `sum(${c})::bigint AS ${c}`).join(', '));

const toCounters = (row: CounterRow): Counters => Object.fromEntries(COUNTERS.map((c) => [c, Number(row[c] ?? 0)])) as Counters;

/** Answers from the hourly rollups, never from raw events: a chart costs at most a few thousand rows of index scan. */
@Injectable()
export class StatsService {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async series(tenant: TenantContext, query: StatsQuery): Promise<StatsSeries> {
    const tenantId = tenant.tenantId;
    const range = statsRange(query.granularity, query.from, query.to);
    const step = `1 ${range.granularity}`;
    const domain = query.domain === undefined ? Prisma.empty : Prisma.sql`AND domain = ${query.domain}`;
    // Every bucket of the range is returned, zeros included, so a chart needs no gap filling.
    const rows = await this.prisma.$queryRaw<(CounterRow & { start: Date })[]>`
      WITH sums AS (
        SELECT date_trunc(${range.granularity}, hour) AS bucket, ${SUMS}
        FROM stats_hourly
        WHERE "tenantId" = ${tenantId}::uuid AND hour >= ${range.from.toISOString()}::timestamp(3) AND hour < ${range.to.toISOString()}::timestamp(3) ${domain}
        GROUP BY 1)
      SELECT (b.bucket AT TIME ZONE 'UTC') AS start, ${Prisma.raw(COUNTERS.map((c) => `sums.${c}`).join(', '))}
      FROM generate_series(${range.from.toISOString()}::timestamp, ${range.to.toISOString()}::timestamp - ${step}::interval, ${step}::interval) AS b(bucket)
      LEFT JOIN sums ON sums.bucket = b.bucket
      ORDER BY b.bucket`;
    const buckets = rows.map((row) => ({ start: new Date(row.start), ...toCounters(row) }));
    return { ...range, domain: query.domain ?? null, totals: total(buckets), buckets };
  }

  async domains(tenant: TenantContext, query: DomainStatsQuery): Promise<DomainStats> {
    const tenantId = tenant.tenantId;
    const range = statsRange('day', query.from, query.to);
    const rows = await this.prisma.$queryRaw<(CounterRow & { domain: string })[]>`
      SELECT domain, ${SUMS}
      FROM stats_hourly
      WHERE "tenantId" = ${tenantId}::uuid AND hour >= ${range.from.toISOString()}::timestamp(3) AND hour < ${range.to.toISOString()}::timestamp(3)
      GROUP BY domain
      ORDER BY sum(accepted) DESC, domain`;
    return { from: range.from, to: range.to, domains: rows.map((row) => ({ domain: row.domain === '' ? null : row.domain, ...toCounters(row) })) };
  }
}

function total(buckets: Counters[]): Counters {
  const sums = Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Counters;
  for (const bucket of buckets) for (const c of COUNTERS) sums[c] += bucket[c];
  return sums;
}
