import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { json, signedIn, TENANT_A } from '../../test/fake-api';
import { renderApp } from '../../test/render-app';

afterEach(cleanup);

const MB = 1024 * 1024;
const zero = { accepted: 0, rejected: 0, delivered: 0, deferred: 0, bounced: 0, suppressed: 0, failed: 0, complained: 0 };

// 44 messages to 100 recipients: the quota counts recipients, so the day's limit of 100 is used up.
const TENANT = {
  id: TENANT_A.id, name: TENANT_A.name, slug: TENANT_A.slug, status: 'active', statusReason: null, bounceNotices: false, role: 'owner',
  plan: { id: 'free', name: 'Free', priceCents: 0 },
  limits: { messagesPerDay: 100, messagesPerMonth: 20000, messagesPerMinute: 10, recipientsPerMessage: 50, maxMessageBytes: 10 * MB },
  overrides: { messagesPerDay: null, messagesPerMonth: 20000, messagesPerMinute: null, recipientsPerMessage: null, maxMessageBytes: null },
  usage: { today: { periodStart: '2026-11-28', messages: 44, recipients: 100 }, month: { periodStart: '2026-11-01', messages: 300, recipients: 700 } },
  createdAt: '2026-11-01T10:00:00.000Z',
};

const STATS = {
  granularity: 'hour', from: '2026-11-27T11:00:00.000Z', to: '2026-11-28T11:00:00.000Z', domain: null,
  totals: { ...zero, accepted: 44, delivered: 40, rejected: 9 },
  buckets: [{ ...zero, start: '2026-11-28T10:00:00.000Z', accepted: 44, delivered: 40, rejected: 9 }],
};

function handlers() {
  return {
    ...signedIn(),
    'GET /v1/tenant': () => json(TENANT),
    'GET /v1/domains': () => json({ items: [], nextCursor: null }),
    'GET /v1/stats': () => json(STATS),
    'GET /v1/rejections/reasons': () => json({ from: STATS.from, to: STATS.to, reasons: [{ reason: 'sender_not_owned', count: 7 }, { reason: 'quota_daily_exhausted', count: 2 }] }),
  };
}

describe('overview', () => {
  it('counts the quotas in recipients, as the relay does', async () => {
    renderApp('/', handlers());
    const usage = await screen.findByRole('region', { name: 'Usage' });
    await within(usage).findByText('Recipients today');
    expect(within(usage).getByText('100 of 100')).toBeTruthy();
    expect(within(usage).getByText('700 of 20,000')).toBeTruthy();
    expect(usage.textContent).not.toMatch(/messages? (a|per) (day|month|minute)|Sent today/i);
  });

  it('marks the limit an operator has set in place of the plan’s', async () => {
    renderApp('/', handlers());
    const usage = await screen.findByRole('region', { name: 'Usage' });
    const month = (await within(usage).findByText('Recipients a month')).closest('div')!;
    expect(month.textContent).toContain('20,000');
    expect(within(month).getByText('set by an operator')).toBeTruthy();
    const day = within(usage).getByText('Recipients a day').closest('div')!;
    expect(day.textContent).not.toContain('operator');
  });

  it('says why mail was rejected, each reason counted and linked to the log filtered by it', async () => {
    const app = renderApp('/', handlers());
    const reason = await screen.findByRole('link', { name: 'Sender not on a verified domain of this credential' });
    expect(reason.closest('li')!.textContent).toContain('7');
    const href = new URL(reason.getAttribute('href')!, 'http://x');
    expect(href.pathname).toBe('/messages/rejected');
    expect(Object.fromEntries(href.searchParams)).toEqual({ reason: 'sender_not_owned', from: STATS.from, to: STATS.to });
    expect(screen.getByRole('link', { name: /see all 9 in the log/ })).toBeTruthy();
    // Counted over the chart's own range, so the reasons add up to its "Rejected".
    const asked = app.requests.find((r) => new URL(r.url).pathname === '/v1/rejections/reasons')!;
    expect(Object.fromEntries(new URL(asked.url).searchParams)).toEqual({ from: STATS.from, to: STATS.to });
  });
});
