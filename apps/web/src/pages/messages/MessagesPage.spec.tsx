import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { apiError, json, signedIn } from '../../test/fake-api';
import { renderApp } from '../../test/render-app';

afterEach(cleanup);

const MESSAGE = {
  id: '01JDXQ7N5M8ZK3V4W2Y6T9R0AB', direction: 'outbound', status: 'bounced', mailFrom: 'app@shop.example', subject: 'Your receipt',
  domainId: null, credentialId: null, sizeBytes: 2048, recipientCount: 1, acceptedAt: '2026-11-28T09:00:00.000Z', updatedAt: '2026-11-28T09:01:00.000Z',
};

describe('message log', () => {
  it('searches with the filters the user chose and lists what matches', async () => {
    const app = renderApp('/messages', {
      ...signedIn(),
      'GET /v1/messages': (request) => json({ items: new URL(request.url).searchParams.get('status') === 'bounced' ? [MESSAGE] : [], nextCursor: null }),
    });
    expect(await screen.findByText('No messages yet.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'bounced' } });
    fireEvent.change(screen.getByLabelText('Recipient'), { target: { value: 'bob@example.net' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    expect(await screen.findByText('Your receipt')).toBeTruthy();
    const last = new URL(app.requests.at(-1)!.url).searchParams;
    expect(Object.fromEntries(last)).toMatchObject({ status: 'bounced', recipient: 'bob@example.net' });
  });

  it('shows the server’s complaint about a filter next to that filter', async () => {
    renderApp('/messages?recipient=bob%40', {
      ...signedIn(),
      'GET /v1/messages': () => apiError(400, 'validation_failed', 'x', [{ field: 'query.recipient', message: 'must be an email address (no-domain)' }]),
    });
    const message = await screen.findByText('Must be an email address (no-domain)');
    expect(screen.getByLabelText('Recipient').getAttribute('aria-describedby')).toContain(message.id);
  });
});
