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

const TRUSTED = { host: 'relay.smarthost.example', ports: [{ port: 587, security: 'starttls' }, { port: 465, security: 'tls' }], certificate: 'trusted', authMechanisms: ['PLAIN', 'LOGIN'] };
const DEMO = { host: 'localhost', ports: [{ port: 2587, security: 'starttls' }, { port: 2465, security: 'tls' }], certificate: 'self-signed', authMechanisms: ['PLAIN', 'LOGIN'] };
const SELF_SIGNED = 'demo only: the certificate is self-signed';

function handlers(create: () => Response, smtp: typeof TRUSTED = TRUSTED) {
  let created = false;
  return {
    ...signedIn(),
    'GET /v1/smtp-settings': () => json(smtp),
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
    renderApp('/credentials', handlers(() => json({ ...CREATED, password: PASSWORD, smtp: { ...TRUSTED, username: CREATED.username } }, 201)));
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

  it('shows where to connect at any time, from the API’s settings, with each snippet using them', async () => {
    renderApp('/credentials', handlers(() => json({}, 201), DEMO));
    const section = await screen.findByRole('region', { name: 'Connection settings' });
    await within(section).findByText('localhost');
    expect(section.textContent).toContain('2587 (STARTTLS), 2465 (TLS from the first byte)');
    expect(section.textContent).not.toMatch(/\b(587|465)\b/);
    expect(within(section).getByText(/self-signed certificate/)).toBeTruthy();
    const shown = within(section).getAllByRole('button', { name: /^Copy (nodemailer|Python|PHPMailer|Postfix main|swaks)/ });
    expect(shown).toHaveLength(5);
    // Every client's snippet (the Postfix password map and apply commands hold no TLS setting).
    const clients = ['nodemailer script', 'Python smtplib script', 'PHPMailer script', 'Postfix main.cf', 'swaks command'];
    const texts = [...section.querySelectorAll('.snippet')].filter((s) => clients.includes(s.querySelector('h4')?.textContent ?? '')).map((s) => s.querySelector('pre')?.textContent);
    expect(texts).toHaveLength(5);
    for (const text of texts) {
      expect(text).toContain(SELF_SIGNED);
      expect(text).toContain('localhost');
    }
    expect(section.textContent).toContain("port: 2587,");
    expect(section.textContent).toContain('YOUR_SMTP_PASSWORD');
  });

  it('says nothing about self-signed certificates when the relay’s certificate is trusted', async () => {
    renderApp('/credentials', handlers(() => json({}, 201)));
    const section = await screen.findByRole('region', { name: 'Connection settings' });
    await within(section).findByText('relay.smarthost.example');
    expect(section.textContent).not.toMatch(/self-signed|rejectUnauthorized|CERT_NONE|verify_peer/);
    expect(section.textContent).toContain('smtp_tls_security_level = secure');
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
