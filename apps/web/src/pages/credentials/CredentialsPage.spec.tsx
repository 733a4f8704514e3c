import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { apiError, domain, json, signedIn } from '../../test/fake-api';
import { renderApp } from '../../test/render-app';

afterEach(cleanup);

const PASSWORD = 'Zq8vR2kP0wXy7Lm3Nb5Tc9Hd';
const CREATED = {
  id: '0190d000-0000-7000-8000-000000000001',
  name: 'shop backend',
  username: 'u_0190d0000000',
  status: 'active',
  allDomains: true,
  domainIds: [],
  allowedSenders: [],
  ipAllowlist: [],
  ratePerMinute: null,
  createdAt: '2026-11-02T10:00:00.000Z',
  updatedAt: '2026-11-02T10:00:00.000Z',
  rotatedAt: null,
  lastUsedAt: null,
  lastUsedIp: null,
};

function handlers(create: () => Response) {
  let created = false;
  return {
    ...signedIn(),
    'GET /v1/domains': () => json({ items: [{ ...domain('shop.example', '0190e000-0000-7000-8000-000000000001'), status: 'verified' }], nextCursor: null }),
    'GET /v1/credentials': () => json({ items: created ? [CREATED] : [], nextCursor: null }),
    'POST /v1/credentials': () => {
      const response = create();
      created = response.ok;
      return response;
    },
  };
}

describe('SMTP credentials', () => {
  it('shows the new password once, with ready settings, and never again after it is saved', async () => {
    renderApp('/credentials', handlers(() => json({ ...CREATED, password: PASSWORD, smtp: { host: 'relay.smarthost.example', username: CREATED.username, ports: [{ port: 587, security: 'starttls' }, { port: 465, security: 'tls' }] } }, 201)));
    fireEvent.change(await screen.findByLabelText('Name'), { target: { value: 'shop backend' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create credential' }));

    const panel = (await screen.findByRole('heading', { name: 'Password for shop backend' })).closest('section')!;
    expect((within(panel).getByLabelText('SMTP password') as HTMLInputElement).value).toBe(PASSWORD);
    expect(within(panel).getByText(/only time it is shown/)).toBeTruthy();
    expect(within(panel).getByRole('button', { name: 'Copy SMTP password' })).toBeTruthy();
    expect(panel.textContent).toContain('relayhost = [relay.smarthost.example]:587');
    expect(panel.textContent).toContain(`[relay.smarthost.example]:587 ${CREATED.username}:${PASSWORD}`);
    expect(panel.textContent).toContain(`--auth-password '${PASSWORD}'`);
    expect(document.activeElement).toBe(within(panel).getByRole('heading', { name: 'Password for shop backend' }));

    fireEvent.click(within(panel).getByRole('button', { name: 'I have saved it' }));
    expect(await screen.findByRole('heading', { name: /shop backend/ })).toBeTruthy();
    expect(document.body.textContent).not.toContain(PASSWORD);
    expect(screen.queryByDisplayValue(PASSWORD)).toBeNull();
  });

  it('puts the server’s message next to the IP allowlist it rejected', async () => {
    const app = renderApp(
      '/credentials',
      handlers(() => apiError(400, 'validation_failed', 'x', [{ field: 'body.ipAllowlist.0', message: 'must be an IPv4 or IPv6 address or CIDR block (e.g. 203.0.113.0/24)' }])),
    );
    fireEvent.change(await screen.findByLabelText('Name'), { target: { value: 'shop backend' } });
    fireEvent.change(screen.getByLabelText('IP allowlist (optional)'), { target: { value: 'office' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create credential' }));
    const message = await screen.findByText('Must be an IPv4 or IPv6 address or CIDR block (e.g. 203.0.113.0/24)');
    expect(screen.getByLabelText('IP allowlist (optional)').getAttribute('aria-describedby')).toContain(message.id);
    const sent = await app.requests.find((r) => r.method === 'POST')!.json();
    expect(sent).toMatchObject({ name: 'shop backend', allDomains: true, ipAllowlist: ['office'] });
  });

  it('asks for a name before creating', async () => {
    const app = renderApp('/credentials', handlers(() => json({}, 201)));
    fireEvent.click(await screen.findByRole('button', { name: 'Create credential' }));
    expect(await screen.findByText('Name the credential after the app or server that will use it.')).toBeTruthy();
    expect(app.requests.some((r) => r.method === 'POST')).toBe(false);
  });
});
