import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { apiError, type Handler, json, signedIn, TENANT_A } from '../../test/fake-api';
import { renderApp } from '../../test/render-app';
import { WEBHOOK_POLL_MS, WEBHOOK_WAIT_MS } from './BillingPage';

const MB = 1024 * 1024;
const FREE = { id: 'free', name: 'Free', priceCents: 0, currency: 'usd', limits: { messagesPerDay: 100, messagesPerMonth: 3000, messagesPerMinute: 10, recipientsPerMessage: 50, maxMessageBytes: 10 * MB }, purchasable: false };
const STARTER = { id: 'starter', name: 'Starter', priceCents: 1500, currency: 'usd', limits: { messagesPerDay: 2000, messagesPerMonth: 50000, messagesPerMinute: 60, recipientsPerMessage: 100, maxMessageBytes: 25 * MB }, purchasable: true };
const PRO = { id: 'pro', name: 'Pro', priceCents: 7500, currency: 'usd', limits: { messagesPerDay: 20000, messagesPerMonth: 500000, messagesPerMinute: 600, recipientsPerMessage: 500, maxMessageBytes: 25 * MB }, purchasable: true };
const PLANS = [FREE, STARTER, PRO];

type Plan = typeof FREE;
interface BillingAnswer {
  enabled: boolean;
  plan: Plan;
  subscription: { status: string; planId: string; currentPeriodEnd: string | null; cancelAtPeriodEnd: boolean } | null;
  hasBillingAccount: boolean;
  plans: Plan[];
}

const onFree: BillingAnswer = { enabled: true, plan: FREE, subscription: null, hasBillingAccount: false, plans: PLANS };
const subscribed = (status: string, extra: Partial<NonNullable<BillingAnswer['subscription']>> = {}): BillingAnswer => ({
  enabled: true,
  plan: STARTER,
  subscription: { status, planId: 'starter', currentPeriodEnd: '2026-12-28T10:00:00.000Z', cancelAtPeriodEnd: false, ...extra },
  hasBillingAccount: true,
  plans: PLANS,
});

function tenantView(plan: Plan, monthMessages: number) {
  return {
    id: TENANT_A.id, name: TENANT_A.name, slug: TENANT_A.slug, status: 'active', statusReason: null, bounceNotices: false, role: 'owner',
    plan: { id: plan.id, name: plan.name, priceCents: plan.priceCents }, limits: plan.limits, overrides: {},
    usage: { today: { periodStart: '2026-11-28', messages: 3, recipients: 3 }, month: { periodStart: '2026-11-01', messages: monthMessages, recipients: monthMessages } },
    createdAt: '2026-11-01T10:00:00.000Z',
  };
}

function handlers(billing: () => BillingAnswer, extra: Record<string, Handler> = {}, role = 'owner'): Record<string, Handler> {
  return {
    ...signedIn([{ ...TENANT_A, role }]),
    'GET /v1/billing': () => json(billing()),
    'GET /v1/tenant': () => json(tenantView(billing().plan, 1234)),
    ...extra,
  };
}

const planRow = (name: string) => screen.getByRole('rowheader', { name }).closest('tr')!;

let assign: MockInstance<(url: string | URL) => void>;
beforeEach(() => {
  assign = vi.spyOn(window.location, 'assign').mockImplementation(() => undefined);
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('Billing', () => {
  it('shows the limits enforced now, in recipients, naming the operator’s override and the plan’s own value', async () => {
    const overridden = () => ({ ...tenantView(FREE, 1234), limits: { ...FREE.limits, messagesPerDay: 500 }, overrides: { messagesPerDay: 500, messagesPerMonth: null } });
    renderApp('/billing', handlers(() => onFree, { 'GET /v1/tenant': () => json(overridden()) }));
    const plan = await screen.findByRole('region', { name: 'Your plan' });
    const day = (await within(plan).findByText('Recipients a day')).closest('div')!;
    expect(day.textContent).toContain('500');
    expect(within(day).getByText('set by an operator; plan: 100')).toBeTruthy();
    expect(within(plan).getByText('Recipients a month').closest('div')!.textContent).not.toContain('operator');
    expect(within(plan).getByText('Recipients this month')).toBeTruthy();
    expect(plan.querySelector('.plan-summary')!.textContent).toBe('Free · no charge');
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(expect.arrayContaining(['Recipients a day', 'Recipients a month', 'Recipients a minute']));
    expect(document.body.textContent).not.toMatch(/Messages a (day|month|minute)/);
  });

  it('lists every plan with its price and limits, and sends the owner to Stripe Checkout for the plan chosen', async () => {
    const app = renderApp('/billing', handlers(() => onFree, { 'POST /v1/billing/checkout': () => json({ url: 'https://checkout.stripe.test/c/cs_1' }) }));
    await screen.findByRole('rowheader', { name: 'Starter' });
    const cells = (name: string) => [...planRow(name).querySelectorAll('td')].slice(0, 5).map((cell) => cell.textContent);
    expect(cells('Starter')).toEqual(['$15', '2,000', '50,000', '60', '25 MB']);
    expect(cells('Free')).toEqual(['Free', '100', '3,000', '10', '10 MB']);
    expect(within(planRow('Free')).getByText('Current plan')).toBeTruthy();
    expect(within(planRow('Free')).queryByRole('button')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Manage billing' })).toBeNull();
    expect(await screen.findByText('1,234 of 3,000')).toBeTruthy();
    expect(screen.getByText('No subscription: the team is on the Free plan.')).toBeTruthy();

    fireEvent.click(within(planRow('Starter')).getByRole('button', { name: 'Choose Starter' }));
    await waitFor(() => expect(assign).toHaveBeenCalledWith('https://checkout.stripe.test/c/cs_1'));
    const post = app.requests.find((r) => r.method === 'POST')!;
    expect(await post.json()).toEqual({ planId: 'starter' });
    // On its way to Stripe: a second click cannot start a second checkout.
    expect((within(planRow('Pro')).getByRole('button', { name: 'Choose Pro' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('says in words why a checkout could not start, and shows the subscription that already exists', async () => {
    let answer = onFree;
    renderApp('/billing', handlers(() => answer, {
      'POST /v1/billing/checkout': () => {
        answer = subscribed('active');
        return apiError(409, 'conflict', 'this tenant already has a subscription: change or cancel it in the billing portal');
      },
    }));
    fireEvent.click(await screen.findByRole('button', { name: 'Choose Pro' }));
    const message = await screen.findByText('This team already has a subscription. Change plan with “Manage billing”.');
    expect(message.closest('[role="alert"]')).toBeTruthy();
    await screen.findByRole('button', { name: 'Manage billing' });
    expect(screen.queryByRole('button', { name: /^Choose/ })).toBeNull();
    expect(assign).not.toHaveBeenCalled();
  });

  it('back from Checkout, says the plan is being updated and asks again until Stripe’s webhook has changed it', async () => {
    let asked = 0;
    const app = renderApp('/billing?checkout=success&session_id=cs_test_1', handlers(() => onFree, { 'GET /v1/billing': () => json(++asked < 3 ? onFree : subscribed('active')) }));
    expect(await screen.findByText('Payment received — your plan is being updated. This usually takes a few seconds.')).toBeTruthy();
    expect(await screen.findByText('Payment received. The team is now on the Starter plan.', undefined, { timeout: 5000 })).toBeTruthy();
    expect(asked).toBeGreaterThanOrEqual(3);
    expect(screen.getByText('Starter', { selector: '.plan-summary strong' })).toBeTruthy();
    // The usage meter is asked again for the new plan's limit.
    await waitFor(() => expect(app.requests.filter((r) => r.url.endsWith('/v1/tenant')).length).toBeGreaterThanOrEqual(2));
    // Taken off the address: a reload does not claim a payment again.
    expect(window.location.search).toBe('');
  });

  it('stops asking after half a minute without the webhook, and says what happens next', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const app = renderApp('/billing?checkout=success&session_id=cs_test_2', handlers(() => onFree));
      await screen.findByText(/your plan is being updated/);
      await vi.advanceTimersByTimeAsync(WEBHOOK_WAIT_MS + WEBHOOK_POLL_MS);
      expect(await screen.findByText(/Stripe has not confirmed it to us yet, so the plan is unchanged for now/)).toBeTruthy();
      const asked = app.requests.filter((r) => r.url.endsWith('/v1/billing')).length;
      expect(asked).toBeGreaterThan(20);
      await vi.advanceTimersByTimeAsync(10 * WEBHOOK_POLL_MS);
      expect(app.requests.filter((r) => r.url.endsWith('/v1/billing')).length).toBe(asked);
    } finally {
      vi.useRealTimers();
    }
  });

  it('after a canceled checkout, says nothing was charged', async () => {
    renderApp('/billing?checkout=canceled', handlers(() => onFree));
    expect(await screen.findByText('Checkout canceled: nothing was charged, and the plan is unchanged.')).toBeTruthy();
  });

  it('warns when a payment failed, and says sending is paused when the subscription is unpaid', async () => {
    renderApp('/billing', handlers(() => subscribed('past_due')));
    expect(await screen.findByText(/Stripe could not take the last payment and will try again/)).toBeTruthy();
    expect(screen.getByText('The last payment failed.')).toBeTruthy();
    expect(screen.getByText(/Update the payment method with “Manage billing”/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Choose/ })).toBeNull();
    cleanup();

    renderApp('/billing', handlers(() => subscribed('unpaid')));
    expect(await screen.findByText(/sending is paused: mail submitted now is refused/)).toBeTruthy();
    expect(screen.getByText('Unpaid: sending is paused.')).toBeTruthy();
  });

  it('opens the Stripe billing portal for the owner, and names the end date of a canceled subscription', async () => {
    const app = renderApp('/billing', handlers(() => subscribed('active', { cancelAtPeriodEnd: true }), { 'POST /v1/billing/portal': () => json({ url: 'https://billing.stripe.test/p/1' }) }));
    expect(await screen.findByText(/^Active\. It ends on .*2026; the team then moves to the free plan\.$/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Manage billing' }));
    await waitFor(() => expect(assign).toHaveBeenCalledWith('https://billing.stripe.test/p/1'));
    expect(app.requests.some((r) => r.method === 'POST' && r.url.endsWith('/v1/billing/portal'))).toBe(true);
  });

  it('shows an admin the plan read-only, saying only the owner can change it', async () => {
    renderApp('/billing', handlers(() => subscribed('past_due'), {}, 'admin'));
    expect(await screen.findByText('Only the team’s owner can change the plan or the payment details.')).toBeTruthy();
    expect(screen.getByText(/Ask the team’s owner to update the payment method/)).toBeTruthy();
    expect(screen.queryAllByRole('button', { name: /^Choose|Manage billing/ })).toEqual([]);
    expect(screen.getByRole('navigation', { name: 'Main' }).textContent).toContain('Billing');
  });

  it('has no Billing entry for roles that may not see billing, and asks nothing of the API for them', async () => {
    const app = renderApp('/billing', handlers(() => onFree, {}, 'developer'));
    expect(await screen.findByText('Only the team’s owner and admins can see the plan and billing.')).toBeTruthy();
    expect(within(screen.getByRole('navigation', { name: 'Main' })).queryByRole('link', { name: 'Billing' })).toBeNull();
    expect(app.requests.some((r) => r.url.includes('/v1/billing'))).toBe(false);
  });

  it('says when billing is not set up on this installation: the operator changes plans', async () => {
    renderApp('/billing', handlers(() => ({ ...onFree, enabled: false, plans: PLANS.map((plan) => ({ ...plan, purchasable: false })) })));
    expect(await screen.findByText(/Billing is not set up on this installation, so plans are changed by the operator/)).toBeTruthy();
    expect(screen.getByRole('rowheader', { name: 'Pro' })).toBeTruthy();
    expect(screen.queryAllByRole('button', { name: /^Choose|Manage billing/ })).toEqual([]);
  });

  it('says so in plain words when billing cannot be loaded', async () => {
    renderApp('/billing', handlers(() => onFree, { 'GET /v1/billing': () => apiError(403, 'forbidden', 'missing permission billing:read') }));
    expect((await screen.findByRole('alert')).textContent).toContain('Your role in this team does not allow this.');
  });
});
