import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { DomainView } from '../../api/types';
import { apiError, json, signedIn } from '../../test/fake-api';
import { renderApp } from '../../test/render-app';

afterEach(cleanup);

const ID = '0190f000-0000-7000-8000-000000000123';

function record(kind: DomainView['records'][number]['kind'], type: string, host: string, value: string, status: 'pending' | 'ok' | 'missing') {
  return { id: `${kind}-${host}`, kind, host, type, value, required: kind !== 'dmarc', status, seenValue: null, detail: null, lastCheckedAt: null, lastOkAt: null, drift: false };
}

type KeyStatus = DomainView['dkimKeys'][number]['status'];
const key = (id: string, selector: string, status: KeyStatus) => ({ id, selector, algorithm: 'rsa', publicKey: 'k', status, createdAt: '2026-11-01T00:00:00.000Z', verifiedAt: null, activatedAt: null, retiredAt: null });

function view(status: 'pending' | 'verified', recordStatus: 'pending' | 'ok' | 'missing', keys: KeyStatus[] = ['active']): DomainView {
  return {
    id: ID, name: 'shop.example', unicodeName: 'shop.example', status, verifiedAt: null, lastCheckedAt: null, inboundEnabled: false, inboundDmarc: 'enforce', createdAt: '2026-11-01T00:00:00.000Z', drift: false,
    records: [
      record('ownership', 'TXT', '_smarthost.shop.example', 'smarthost-verification=abc', recordStatus),
      record('spf', 'TXT', 'shop.example', 'v=spf1 include:spf.relay.example ~all', recordStatus),
    ],
    dkimKeys: keys.map((status, i) => key(`0190f000-0000-7000-8000-00000000099${i}`, `sh${i + 1}`, status)),
    zone: ['_smarthost.shop.example. 3600 IN TXT "smarthost-verification=abc"'],
  };
}

describe('domain page', () => {
  it('lists each record with copy buttons and what the last lookup found', async () => {
    renderApp(`/domains/${ID}`, { ...signedIn(), [`GET /v1/domains/${ID}`]: () => json(view('pending', 'missing')) });
    await screen.findByRole('heading', { level: 1, name: 'shop.example' });
    const table = screen.getAllByRole('table')[0]!;
    const spf = within(table).getByRole('rowheader', { name: /SPF/ }).closest('tr')!;
    expect(spf.textContent).toContain('v=spf1 include:spf.relay.example ~all');
    expect(within(spf).getByText('Not found')).toBeTruthy();
    expect(within(spf).getByRole('button', { name: 'Copy spf value' })).toBeTruthy();
    expect(within(spf).getByRole('button', { name: 'Copy spf host' })).toBeTruthy();
  });

  it('announces the result of "verify now" and shows the records as found', async () => {
    let verified = false;
    renderApp(`/domains/${ID}`, {
      ...signedIn(),
      [`GET /v1/domains/${ID}`]: () => json(verified ? view('verified', 'ok') : view('pending', 'missing')),
      [`POST /v1/domains/${ID}/verify`]: () => {
        verified = true;
        return json(view('verified', 'ok'));
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Verify now' }));
    expect((await screen.findByText('Verified: every required record was found.')).getAttribute('aria-live')).toBe('polite');
    expect(await screen.findAllByText('Found')).toHaveLength(2);
  });

  it('switches DMARC reject failures from refused to delivered marked', async () => {
    let current = view('verified', 'ok');
    const bodies: unknown[] = [];
    renderApp(`/domains/${ID}`, {
      ...signedIn(),
      [`GET /v1/domains/${ID}`]: () => json(current),
      [`PATCH /v1/domains/${ID}`]: async (request: Request) => {
        bodies.push(await request.json());
        current = { ...current, inboundDmarc: 'mark' };
        return json(current);
      },
    });
    expect(await screen.findByText(/is refused\./)).toBeTruthy();
    fireEvent.click(await screen.findByRole('button', { name: 'Deliver it marked instead' }));
    expect(await screen.findByRole('button', { name: 'Refuse it instead' })).toBeTruthy();
    expect(bodies).toEqual([{ inboundDmarc: 'mark' }]);
  });

  it('shows a failed verification as a warning, never in green', async () => {
    renderApp(`/domains/${ID}`, {
      ...signedIn(),
      [`GET /v1/domains/${ID}`]: () => json(view('pending', 'missing')),
      [`POST /v1/domains/${ID}/verify`]: () => json(view('pending', 'missing')),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Verify now' }));
    const result = await screen.findByText(/2 required records not found yet/);
    expect(result.className).toContain('alert-warn');
    expect(result.className).not.toContain('alert-ok');
  });

  it('breaks host names only after a dot', async () => {
    renderApp(`/domains/${ID}`, { ...signedIn(), [`GET /v1/domains/${ID}`]: () => json(view('pending', 'missing')) });
    await screen.findByRole('heading', { level: 1, name: 'shop.example' });
    const host = screen.getAllByText((_, el) => el?.tagName === 'CODE' && el.textContent === '_smarthost.shop.example')[0]!;
    expect(host.className).toContain('dns-name');
    // A break opportunity after each of the two dots, none inside a label.
    expect(host.querySelectorAll('wbr')).toHaveLength(2);
    expect([...host.querySelectorAll('span')].map((n) => n.textContent)).toEqual(['_smarthost.', 'shop.', 'example']);
  });

  it('shows a brand-new domain only its first key, without rotation steps or a disabled button', async () => {
    renderApp(`/domains/${ID}`, { ...signedIn(), [`GET /v1/domains/${ID}`]: () => json(view('pending', 'missing', ['pending'])) });
    const dkim = await screen.findByRole('region', { name: 'DKIM signing key' });
    expect(dkim.textContent).toContain('starts signing your mail as soon as the domain is verified');
    expect(within(dkim).queryByRole('button')).toBeNull();
    expect(within(dkim).queryByRole('list')).toBeNull();
    expect(document.body.textContent).not.toMatch(/waiting to be activated|Create a new key/);
  });

  it('offers rotation once a key signs, with the steps while a new key is on its way', async () => {
    renderApp(`/domains/${ID}`, { ...signedIn(), [`GET /v1/domains/${ID}`]: () => json(view('verified', 'ok', ['active'])) });
    const dkim = await screen.findByRole('region', { name: 'DKIM signing keys' });
    expect((within(dkim).getByRole('button', { name: 'Create a new key' }) as HTMLButtonElement).disabled).toBe(false);
    expect(within(dkim).getByText('How to replace the signing key').closest('details')!.open).toBe(false);
    cleanup();
    renderApp(`/domains/${ID}`, { ...signedIn(), [`GET /v1/domains/${ID}`]: () => json(view('verified', 'ok', ['active', 'pending'])) });
    const rotating = await screen.findByRole('region', { name: 'DKIM signing keys' });
    expect(within(rotating).getByText(/Activate the new key/)).toBeTruthy();
    expect(within(rotating).queryByRole('button', { name: /Create a new key|waiting/ })).toBeNull();
    expect(within(rotating).getByRole('button', { name: 'Activate' })).toBeTruthy();
  });

  it('says in plain words when the role may not verify', async () => {
    renderApp(`/domains/${ID}`, {
      ...signedIn(),
      [`GET /v1/domains/${ID}`]: () => json(view('pending', 'missing')),
      [`POST /v1/domains/${ID}/verify`]: () => apiError(403, 'forbidden', 'role viewer lacks permission domains:write'),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Verify now' }));
    expect((await screen.findByText(/Your role in this team does not allow this/)).closest('[role="alert"]')).toBeTruthy();
  });
});

describe('an expired session', () => {
  it('sends the user back to the log-in page', async () => {
    renderApp('/domains', { ...signedIn(), 'GET /v1/domains': () => apiError(401, 'unauthenticated', 'session expired; log in again') });
    expect(await screen.findByRole('heading', { level: 1, name: 'Log in' })).toBeTruthy();
  });
});
