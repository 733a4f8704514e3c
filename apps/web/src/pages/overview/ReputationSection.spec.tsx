import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { json, signedIn } from '../../test/fake-api';
import { renderApp } from '../../test/render-app';

afterEach(cleanup);

const ZONES = { ip: ['zen.spamhaus.org', 'bl.spamcop.net'], domain: ['dbl.spamhaus.org'] };
const report = (body: Record<string, unknown>) => () => json({ checkedAt: '2026-11-28T22:00:00.000Z', zones: ZONES, domains: [], relayIps: [], ...body });

describe('blocklists on the overview', () => {
  it('says plainly when nothing is listed, and how many lists are watched', async () => {
    renderApp('/', { ...signedIn(), 'GET /v1/blacklist': report({}) });
    const line = await screen.findByText(/Not listed on any of the 3 blocklists we watch/);
    expect(line.textContent).toContain('checked');
  });

  it('says monitoring is off rather than "not listed" when no blocklist is configured', async () => {
    renderApp('/', { ...signedIn(), 'GET /v1/blacklist': report({ checkedAt: null, zones: { ip: [], domain: [] } }) });
    expect(await screen.findByText(/Blocklist monitoring is off/)).toBeTruthy();
    expect(screen.queryByText(/Not listed/)).toBeNull();
  });

  it('names a listed domain, the list, since when and why, with what to do', async () => {
    const domains = [{ domainId: '0190e000-0000-7000-8000-000000000001', domain: 'shop.example', zone: 'dbl.spamhaus.org', since: '2026-11-28T20:00:00.000Z', lastSeenAt: '2026-11-28T22:00:00.000Z', response: 'https://check.spamhaus.org/listed/?searchterm=shop.example' }];
    renderApp('/', { ...signedIn(), 'GET /v1/blacklist': report({ domains }) });
    expect(await screen.findByText('Your domain is on a blocklist.')).toBeTruthy();
    const item = screen.getByText('shop.example').closest('li')!;
    expect(item.textContent).toContain('dbl.spamhaus.org');
    expect(item.textContent).toContain('https://check.spamhaus.org/listed/?searchterm=shop.example');
  });

  it('tells the tenant when a shared relay address is listed', async () => {
    const relayIps = [{ ip: '192.0.2.10', zone: 'bl.spamcop.net', since: '2026-11-28T21:00:00.000Z', lastSeenAt: '2026-11-28T22:00:00.000Z', response: null }];
    renderApp('/', { ...signedIn(), 'GET /v1/blacklist': report({ relayIps }) });
    expect(await screen.findByText(/A relay address we send from is on a blocklist/)).toBeTruthy();
    expect(screen.getByText('192.0.2.10')).toBeTruthy();
  });
});
