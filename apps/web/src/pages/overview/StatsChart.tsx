import { useId } from 'react';
import type { StatsSeries } from '../../api/types';
import { formatNumber } from '../../components/format';

export const SERIES = [
  { key: 'delivered', label: 'Delivered', className: 'fill-good' },
  { key: 'deferred', label: 'Deferred', className: 'fill-wait' },
  { key: 'bounced', label: 'Bounced', className: 'fill-bad' },
  { key: 'failed', label: 'Failed', className: 'fill-fail' },
  { key: 'rejected', label: 'Rejected', className: 'fill-off' },
] as const;

type Bucket = StatsSeries['buckets'][number];

const WIDTH = 720;
const HEIGHT = 220;
const PAD = { top: 16, right: 8, bottom: 32, left: 60 };

function bucketLabel(start: unknown, granularity: StatsSeries['granularity']): string {
  const date = new Date(String(start));
  return granularity === 'hour'
    ? date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

/**
 * Stacked bars by delivery status. The SVG is one labelled image with a text summary; the same numbers are in a
 * table below it, so nothing depends on seeing the colours.
 */
export function StatsChart({ series, title }: { series: StatsSeries; title: string }) {
  const id = useId();
  const buckets = series.buckets;
  const total = (bucket: Bucket) => SERIES.reduce((sum, s) => sum + bucket[s.key], 0);
  const max = Math.max(1, ...buckets.map(total));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotWidth / Math.max(1, buckets.length);
  const barWidth = Math.max(1, slot * 0.7);
  const y = (value: number) => (value / max) * plotHeight;
  const summary = SERIES.map((s) => `${s.label} ${formatNumber(series.totals[s.key])}`).join(', ');
  const labelEvery = Math.ceil(buckets.length / 6);

  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} preserveAspectRatio="xMidYMid meet">
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>Totals: {summary}.</desc>
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={PAD.top + plotHeight} y2={PAD.top + plotHeight} className="axis" />
        <text x={PAD.left - 6} y={PAD.top + 4} textAnchor="end" className="tick">{formatNumber(max)}</text>
        <text x={PAD.left - 6} y={PAD.top + plotHeight} textAnchor="end" className="tick">0</text>
        {buckets.map((bucket, index) => {
          let stacked = 0;
          const x = PAD.left + index * slot + (slot - barWidth) / 2;
          return (
            <g key={String(bucket.start)}>
              {SERIES.map((s) => {
                const height = y(bucket[s.key]);
                stacked += height;
                return height > 0 ? <rect key={s.key} x={x} width={barWidth} y={PAD.top + plotHeight - stacked} height={height} className={s.className} /> : null;
              })}
              {index % labelEvery === 0 && (
                <text x={x + barWidth / 2} y={HEIGHT - 8} textAnchor="middle" className="tick">
                  {bucketLabel(bucket.start, series.granularity)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul className="legend">
          {SERIES.map((s) => (
            <li key={s.key}>
              <span className={`swatch ${s.className}`} aria-hidden="true" /> {s.label}: {formatNumber(series.totals[s.key])}
            </li>
          ))}
        </ul>
      </figcaption>
      <details>
        <summary>Show the numbers as a table</summary>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{series.granularity === 'hour' ? 'Hour' : 'Day'}</th>
                {SERIES.map((s) => <th key={s.key} scope="col">{s.label}</th>)}
              </tr>
            </thead>
            <tbody>
              {buckets.map((bucket) => (
                <tr key={String(bucket.start)}>
                  <th scope="row">{bucketLabel(bucket.start, series.granularity)}</th>
                  {SERIES.map((s) => <td key={s.key}>{formatNumber(bucket[s.key])}</td>)}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
