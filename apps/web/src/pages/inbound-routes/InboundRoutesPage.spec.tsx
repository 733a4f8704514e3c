import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { apiError, domain, json, signedIn } from '../../test/fake-api';
import { renderApp } from '../../test/render-app';

afterEach(cleanup);

const DOMAIN_ID = '0190e000-0000-7000-8000-000000000001';
const ROUTE = {
  id: '0190f000-0000-7000-8000-000000000001',
  domainId: DOMAIN_ID,
  pattern: 'support',
  action: 'forward',
  host: 'mx.old.example',
  port: null,
  tlsMode: 'require_verified',
  createdAt: '2026-11-02T10:00:00.000Z',
  updatedAt: '2026-11-02T10:00:00.000Z',
};

function handlers(patch: (body: Record<string, unknown>) => Response) {
  let route: Record<string, unknown> = ROUTE;
  return {
    ...signedIn(),
    'GET /v1/domains': () => json({ items: [{ ...domain('shop.example', DOMAIN_ID), status: 'verified', inboundEnabled: true }], nextCursor: null }),
    'GET /v1/inbound-routes': () => json({ items: [route], nextCursor: null }),
    [`PATCH /v1/inbound-routes/${ROUTE.id}`]: async (request: Request) => {
      const body = (await request.json()) as Record<string, unknown>;
      const response = patch(body);
      if (response.ok) route = { ...route, ...body };
      return response;
    },
    'POST /v1/inbound-routes': () => json(ROUTE, 201),
  };
}

describe('Inbound routes', () => {
  it('edits a route in place: the form starts from the route, and the list shows what was saved', async () => {
    const app = renderApp('/inbound-routes', handlers(() => json({})));
    const row = (await screen.findByRole('rowheader', { name: 'support@shop.example' })).closest('tr')!;
    expect(within(row).getByText('TLS, certificate verified')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Edit support@shop.example' }));
    const form = screen.getByRole('button', { name: 'Save changes' }).closest('form')!;
    expect((within(form).getByLabelText('Address (local part)') as HTMLInputElement).value).toBe('support');
    expect((within(form).getByLabelText('TLS to my server') as HTMLSelectElement).value).toBe('require_verified');
    fireEvent.change(within(form).getByLabelText('Mail server host'), { target: { value: 'mx.new.example' } });
    fireEvent.change(within(form).getByLabelText('Port (optional)'), { target: { value: '2525' } });
    fireEvent.change(within(form).getByLabelText('TLS to my server'), { target: { value: 'require_unverified' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save changes' }));

    expect(await screen.findByText('mx.new.example:2525')).toBeTruthy();
    expect(screen.getByText('TLS, certificate not verified')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Save changes' })).toBeNull();
    const sent = await app.requests.find((r) => r.method === 'PATCH')!.json();
    expect(sent).toEqual({ pattern: 'support', action: 'forward', host: 'mx.new.example', port: 2525, tlsMode: 'require_unverified' });
  });

  it('offers the three TLS modes in plain words, verified first, and a public host as the example', async () => {
    renderApp('/inbound-routes', handlers(() => json({})));
    const form = (await screen.findByRole('button', { name: 'Add route' })).closest('form')!;
    const select = within(form).getByLabelText('TLS to my server') as HTMLSelectElement;
    expect([...select.options].map((o) => [o.value, o.text])).toEqual([
      ['require_verified', 'Require TLS, verify the certificate'],
      ['require_unverified', 'Encrypt, do not verify (self-signed)'],
      ['opportunistic', 'TLS when offered, else plain text'],
    ]);
    expect(select.value).toBe('require_verified');
    expect(within(form).getByLabelText('Mail server host').getAttribute('placeholder')).toBe('mail.example.com');
  });

  it('turns a forward into a reject without a target, and shows a refusal next to the field it names', async () => {
    const app = renderApp('/inbound-routes', handlers((body) => (body.action === 'reject' ? json({}) : apiError(400, 'validation_failed', 'x', [{ field: 'body.host', message: 'must not be a private address' }]))));
    fireEvent.click(await screen.findByRole('button', { name: 'Edit support@shop.example' }));
    let form = screen.getByRole('button', { name: 'Save changes' }).closest('form')!;
    fireEvent.change(within(form).getByLabelText('Mail server host'), { target: { value: '10.0.0.5' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save changes' }));
    const message = await screen.findByText('Must not be a private address');
    expect(within(form).getByLabelText('Mail server host').getAttribute('aria-describedby')).toContain(message.id);

    form = screen.getByRole('button', { name: 'Save changes' }).closest('form')!;
    fireEvent.change(within(form).getByLabelText('Action'), { target: { value: 'reject' } });
    expect(within(form).queryByLabelText('Mail server host')).toBeNull();
    fireEvent.click(within(form).getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Reject')).toBeTruthy();
    const patches = app.requests.filter((r) => r.method === 'PATCH');
    expect(await patches.at(-1)!.json()).toEqual({ pattern: 'support', action: 'reject', host: null, port: null });
  });

  it('creates a route for the picked domain, and asks for the server before sending a forward', async () => {
    const app = renderApp('/inbound-routes', handlers(() => json({})));
    const add = await screen.findByRole('button', { name: 'Add route' });
    const form = add.closest('form')!;
    fireEvent.change(within(form).getByLabelText('Address (local part)'), { target: { value: '*' } });
    fireEvent.click(add);
    expect(await within(form).findByText('Enter the mail server to pass the mail to.')).toBeTruthy();
    expect(app.requests.some((r) => r.method === 'POST')).toBe(false);

    fireEvent.change(within(form).getByLabelText('Mail server host'), { target: { value: 'mx.shop.example' } });
    fireEvent.click(add);
    const post = await waitFor(() => app.requests.find((r) => r.method === 'POST') ?? Promise.reject(new Error('no POST yet')));
    expect(await post.json()).toEqual({ domainId: DOMAIN_ID, pattern: '*', action: 'forward', host: 'mx.shop.example', tlsMode: 'require_verified' });
  });
});
