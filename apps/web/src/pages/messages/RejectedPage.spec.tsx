import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { json, signedIn } from '../../test/fake-api';
import { renderApp } from '../../test/render-app';

afterEach(cleanup);

const FROM = '2026-11-27T11:00:00.000Z';
const TO = '2026-11-28T11:00:00.000Z';
const rejection = (id: string, reason: string) => ({
  id, occurredAt: '2026-11-28T10:00:00.000Z', reason, smtpCode: 553, enhancedCode: '5.7.1', reply: '553 5.7.1 Sender address not owned by user', recipient: 'bob@example.net', relayNode: 'node-a',
});

describe('rejected mail', () => {
  it('counts the reasons and lists the refusals of the reason picked, over the range it was linked with', async () => {
    const app = renderApp(`/messages/rejected?reason=sender_not_owned&from=${FROM}&to=${TO}`, {
      ...signedIn(),
      'GET /v1/rejections/reasons': () => json({ from: FROM, to: TO, reasons: [{ reason: 'sender_not_owned', count: 7 }, { reason: 'suppressed', count: 2 }] }),
      'GET /v1/rejections': (request) => {
        const reason = new URL(request.url).searchParams.get('reason');
        return json({ items: reason === 'suppressed' ? [rejection('2', 'suppressed')] : [rejection('1', 'sender_not_owned')], nextCursor: null });
      },
    });
    expect(await screen.findByRole('heading', { level: 2, name: 'Sender not on a verified domain of this credential' })).toBeTruthy();
    expect(await screen.findByText('553 5.7.1 Sender address not owned by user')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'All reasons' }).closest('li')!.textContent).toContain('9');
    const listed = app.requests.filter((r) => new URL(r.url).pathname === '/v1/rejections').map((r) => Object.fromEntries(new URL(r.url).searchParams));
    expect(listed[0]).toMatchObject({ reason: 'sender_not_owned', from: FROM, to: TO });

    fireEvent.click(screen.getByRole('link', { name: 'Recipient suppressed (earlier bounce or complaint)' }));
    expect(await screen.findByRole('heading', { level: 2, name: 'Recipient suppressed (earlier bounce or complaint)' })).toBeTruthy();
    const last = Object.fromEntries(new URL(app.requests.filter((r) => new URL(r.url).pathname === '/v1/rejections').at(-1)!.url).searchParams);
    expect(last).toMatchObject({ reason: 'suppressed', from: FROM, to: TO });
  });
});
