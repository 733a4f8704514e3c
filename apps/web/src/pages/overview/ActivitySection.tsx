import { useState } from 'react';
import { unwrap } from '../../api/client';
import type { StatsSeries } from '../../api/types';
import { percent } from '../../components/format';
import { Section } from '../../components/Page';
import { ErrorState, Loading } from '../../components/States';
import { useTenantQuery } from '../../session/tenant-query';
import { RejectedBreakdown } from './RejectedBreakdown';
import { StatsChart } from './StatsChart';

const RANGES = {
  '24h': { label: 'Last 24 hours', granularity: 'hour', hours: 24 },
  '7d': { label: 'Last 7 days', granularity: 'day', hours: 7 * 24 },
  '30d': { label: 'Last 30 days', granularity: 'day', hours: 30 * 24 },
} as const;
type RangeKey = keyof typeof RANGES;

/** Delivery and bounce rates count only messages whose fate is known (delivered, bounced or failed). */
export function rates(totals: StatsSeries['totals']) {
  const settled = totals.delivered + totals.bounced + totals.failed;
  return { delivery: percent(totals.delivered, settled), bounce: percent(totals.bounced, settled) };
}

const isEmpty = (series: StatsSeries) => Object.values(series.totals).every((count) => count === 0);

export function ActivitySection() {
  const [range, setRange] = useState<RangeKey>('24h');
  const { granularity, hours, label } = RANGES[range];
  const stats = useTenantQuery(['stats', range], (api) => {
    const to = new Date();
    const from = new Date(to.getTime() - hours * 3600_000);
    return unwrap(api.GET('/v1/stats', { params: { query: { granularity, from: from.toISOString(), to: to.toISOString() } } }));
  });

  return (
    <Section
      title="Delivery"
      actions={
        <div className="segmented" role="group" aria-label="Time range">
          {(Object.keys(RANGES) as RangeKey[]).map((key) => (
            <button key={key} type="button" aria-pressed={range === key} onClick={() => setRange(key)}>
              {key}
            </button>
          ))}
        </div>
      }
    >
      {stats.isPending && <Loading what="delivery statistics" />}
      {stats.isError && <ErrorState error={stats.error} retry={() => stats.refetch()} />}
      {stats.data && (
        <>
          <dl className="figures">
            <div><dt>Accepted</dt><dd>{stats.data.totals.accepted.toLocaleString('en')}</dd></div>
            <div><dt>Delivery rate</dt><dd>{rates(stats.data.totals).delivery}</dd></div>
            <div><dt>Bounce rate</dt><dd>{rates(stats.data.totals).bounce}</dd></div>
          </dl>
          {isEmpty(stats.data) ? (
            <p className="muted">No mail in this period. Once an application sends through your SMTP credentials, its deliveries appear here.</p>
          ) : (
            <StatsChart series={stats.data} title={`Messages by status, ${label.toLowerCase()}`} />
          )}
          {stats.data.totals.rejected > 0 && <RejectedBreakdown series={stats.data} />}
        </>
      )}
    </Section>
  );
}
