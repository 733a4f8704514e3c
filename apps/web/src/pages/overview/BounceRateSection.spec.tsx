import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { json, signedIn } from '../../test/fake-api';
import { renderApp } from '../../test/render-app';

afterEach(cleanup);

const rate = (body: Record<string, unknown>) => () =>
  json({ delivered: 0, bounced: 0, bounceRate: null, pauseRate: 0.1, minMessages: 200, complained: 0, complaintRate: null, complaintPauseRate: 0.003, minDelivered: 1000, ...body });
const section = async () => (await screen.findByText(/Sending is paused automatically|does not pause/)).closest('[role="status"]')!;

describe('the bounce rate on the overview', () => {
  it('says there is nothing to judge yet, and the rule', async () => {
    renderApp('/', { ...signedIn(), 'GET /v1/reputation/bounce-rate': rate({}) });
    const status = await section();
    expect(status.textContent).toContain('No message has been delivered or bounced yet.');
    expect(status.textContent).toContain(
      'Sending is paused automatically at 10.0% bounces once 200 messages have a result, and at 0.30% spam complaints once 1,000 messages are delivered.',
    );
    expect(status.className).toContain('alert-ok');
  });

  it('shows a healthy rate calmly', async () => {
    renderApp('/', { ...signedIn(), 'GET /v1/reputation/bounce-rate': rate({ delivered: 990, bounced: 10, bounceRate: 0.01 }) });
    const status = await section();
    expect(status.textContent).toContain('1.0% of 1,000 messages bounced.');
    expect(status.className).toContain('alert-ok');
  });

  it('warns from half the pause rate on, with what to do', async () => {
    renderApp('/', { ...signedIn(), 'GET /v1/reputation/bounce-rate': rate({ delivered: 940, bounced: 60, bounceRate: 0.06 }) });
    const status = await section();
    expect(status.className).toContain('alert-warn');
    expect(status.textContent).toContain('Remove the addresses that bounce');
  });

  it('says so when the service never pauses', async () => {
    renderApp('/', { ...signedIn(), 'GET /v1/reputation/bounce-rate': rate({ delivered: 0, bounced: 50, bounceRate: 1, pauseRate: 0, complaintPauseRate: 0 }) });
    const status = await section();
    expect(status.textContent).toContain('This service does not pause sending for bounces or complaints.');
    expect(status.className).toContain('alert-ok');
  });

  it('shows the complaint rate, and warns from half the complaint pause rate on', async () => {
    renderApp('/', { ...signedIn(), 'GET /v1/reputation/bounce-rate': rate({ delivered: 2000, bounced: 0, bounceRate: 0, complained: 4, complaintRate: 0.002 }) });
    const status = await section();
    expect(status.textContent).toContain('0.20% of delivered messages drew a spam complaint (4).');
    expect(status.className).toContain('alert-warn');
    expect(status.textContent).toContain('Recipients are marking your mail as spam.');
    expect(status.textContent).not.toContain('Remove the addresses that bounce');
  });
});
