import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { StatsSeries } from '../../api/types';
import { rates } from './ActivitySection';
import { StatsChart } from './StatsChart';

afterEach(cleanup);

const zero = { accepted: 0, rejected: 0, delivered: 0, deferred: 0, bounced: 0, suppressed: 0, failed: 0, complained: 0 };
const series: StatsSeries = {
  granularity: 'hour',
  from: '2026-11-28T10:00:00.000Z',
  to: '2026-11-28T12:00:00.000Z',
  domain: null,
  totals: { ...zero, accepted: 12, delivered: 9, bounced: 1, deferred: 2 },
  buckets: [
    { ...zero, start: '2026-11-28T10:00:00.000Z', accepted: 4, delivered: 4 },
    { ...zero, start: '2026-11-28T11:00:00.000Z', accepted: 8, delivered: 5, bounced: 1, deferred: 2 },
  ],
};

describe('delivery chart', () => {
  it('is one image named by its title, with the totals as its description', () => {
    render(<StatsChart series={series} title="Messages by status, last 24 hours" />);
    const image = screen.getByRole('img', { name: /Messages by status, last 24 hours/ });
    expect(image.textContent).toContain('Delivered 9, Deferred 2, Bounced 1, Failed 0, Rejected 0');
  });

  it('offers the same numbers as a table, one row per bucket', () => {
    render(<StatsChart series={series} title="t" />);
    const rows = within(screen.getByRole('table')).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(rows[2]!.textContent).toMatch(/5\s*2\s*1\s*0\s*0$/);
  });

  it('draws bars whose heights follow the counts', () => {
    const { container } = render(<StatsChart series={series} title="t" />);
    const bars = [...container.querySelectorAll('rect.fill-good')].map((rect) => Number(rect.getAttribute('height')));
    expect(bars[1]! / bars[0]!).toBeCloseTo(5 / 4);
  });
});

describe('rates', () => {
  it('counts only messages whose fate is known', () => {
    expect(rates(series.totals)).toEqual({ delivery: '90.0%', bounce: '10.0%' });
    expect(rates(zero)).toEqual({ delivery: '—', bounce: '—' });
  });
});
