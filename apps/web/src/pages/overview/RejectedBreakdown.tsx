import { Link } from 'react-router-dom';
import { unwrap } from '../../api/client';
import type { StatsSeries } from '../../api/types';
import { formatNumber } from '../../components/format';
import { ErrorState, Loading } from '../../components/States';
import { useTenantQuery } from '../../session/tenant-query';
import { rejectedLink } from '../messages/RejectedPage';
import { rejectionWords } from '../messages/rejection-words';

/** Why the chart's "Rejected" mail was refused, counted by reason over the chart's own range, each linking to the log. */
export function RejectedBreakdown({ series }: { series: StatsSeries }) {
  const range = { from: new Date(String(series.from)).toISOString(), to: new Date(String(series.to)).toISOString() };
  const reasons = useTenantQuery(['rejections', 'reasons', range], (api) => unwrap(api.GET('/v1/rejections/reasons', { params: { query: range } })));
  return (
    <div className="rejected-breakdown">
      <h3>
        Why mail was rejected <Link to={rejectedLink(range)} className="small">see all {formatNumber(series.totals.rejected)} in the log</Link>
      </h3>
      {reasons.isPending && <Loading what="rejection reasons" />}
      {reasons.isError && <ErrorState error={reasons.error} retry={() => reasons.refetch()} />}
      {reasons.data && (
        <ul className="reasons">
          {reasons.data.reasons.map((r) => (
            <li key={r.reason}>
              <Link to={rejectedLink(range, r.reason)}>{rejectionWords(r.reason)}</Link> <span className="count">{formatNumber(r.count)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
