import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { json, signedIn } from '../../test/fake-api';
import { renderApp } from '../../test/render-app';

afterEach(cleanup);

const status = (healthyNodes: number, staleNodes = 0) => () =>
  json({ healthyNodes, staleNodes, pausedNodes: 0, maxPolicyLag: 0, lastHeartbeatAt: '2026-11-28T22:00:00.000Z' });

describe('relay service on the overview', () => {
  it('says how many relay nodes accept mail', async () => {
    renderApp('/', { ...signedIn(), 'GET /v1/service-status': status(2, 1) });
    const line = await screen.findByText(/2 relay nodes accepting mail/);
    expect(line.textContent).toContain('1 not reporting');
  });

  it('says plainly when no node is reporting', async () => {
    renderApp('/', { ...signedIn(), 'GET /v1/service-status': status(0, 2) });
    expect(await screen.findByText(/No relay node is reporting/)).toBeTruthy();
  });
});
