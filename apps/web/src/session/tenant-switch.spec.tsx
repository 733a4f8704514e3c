import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { domain, json, signedIn, TENANT_A, TENANT_B } from '../test/fake-api';
import { renderApp } from '../test/render-app';

afterEach(cleanup);

describe('switching tenant', () => {
  it('never shows the previous tenant’s cached data, and keys every query by tenant', async () => {
    let releaseB: () => void = () => undefined;
    const bAnswered = new Promise<void>((resolve) => (releaseB = resolve));
    const app = renderApp('/domains', {
      ...signedIn([TENANT_A, TENANT_B]),
      'GET /v1/domains': async (request) => {
        if (request.headers.get('x-tenant-id') === TENANT_A.id) return json({ items: [domain('shop-a.example', '0190f000-0000-7000-8000-00000000000a')], nextCursor: null });
        await bAnswered;
        return json({ items: [domain('agency-b.example', '0190f000-0000-7000-8000-00000000000b')], nextCursor: null });
      },
    });
    expect(await screen.findByRole('link', { name: 'shop-a.example' })).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Team'), { target: { value: TENANT_B.id } });
    // B's answer has not arrived: the page says it is loading, and A's domain is gone.
    expect(await screen.findByText('Loading domains…')).toBeTruthy();
    expect(screen.queryByText('shop-a.example')).toBeNull();

    releaseB();
    expect(await screen.findByRole('link', { name: 'agency-b.example' })).toBeTruthy();
    expect(screen.queryByText('shop-a.example')).toBeNull();

    const keys = app.queryClient.getQueryCache().findAll().map((query) => query.queryKey);
    expect(keys).toContainEqual(['tenant', TENANT_A.id, 'domains']);
    expect(keys).toContainEqual(['tenant', TENANT_B.id, 'domains']);
    expect(keys.every((key) => key[0] === 'tenant' && (key[1] === TENANT_A.id || key[1] === TENANT_B.id))).toBe(true);

    // Each tenant's request carried its own tenant id.
    const sent = app.requests.filter((r) => r.url.includes('/v1/domains')).map((r) => r.headers.get('x-tenant-id'));
    expect(sent).toEqual([TENANT_A.id, TENANT_B.id]);
  });

  it('remembers the chosen tenant for the next visit', async () => {
    renderApp('/domains', { ...signedIn([TENANT_A, TENANT_B]), 'GET /v1/domains': () => json({ items: [], nextCursor: null }) });
    fireEvent.change(await screen.findByLabelText('Team'), { target: { value: TENANT_B.id } });
    await waitFor(() => expect(window.localStorage.getItem('smarthost.tenant')).toBe(TENANT_B.id));
  });
});
