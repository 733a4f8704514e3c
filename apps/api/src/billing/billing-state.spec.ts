import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BILLING_PAUSE_REASON, billingDecision, type SubscriptionState, tenantUpdate } from './billing-state';

const at = (day: number) => new Date(Date.UTC(2026, 10, day));
const sub = (planId: string, status: string, day: number): SubscriptionState => ({ planId, status, createdAt: at(day) });

describe('billingDecision', () => {
  const cases: [name: string, subscriptions: SubscriptionState[], planId: string, unpaid: boolean][] = [
    ['no subscription: free', [], 'free', false],
    ['active: its plan', [sub('pro', 'active', 1)], 'pro', false],
    ['trialing: its plan', [sub('starter', 'trialing', 1)], 'starter', false],
    ['past_due (Stripe still retrying): keeps the plan, not paused', [sub('pro', 'past_due', 1)], 'pro', false],
    ['unpaid: keeps the plan, paused', [sub('pro', 'unpaid', 1)], 'pro', true],
    ['canceled: free', [sub('pro', 'canceled', 1)], 'free', false],
    ['incomplete checkout: free until paid', [sub('pro', 'incomplete', 1)], 'free', false],
    ['incomplete_expired: free', [sub('pro', 'incomplete_expired', 1)], 'free', false],
    ['a live one wins over a newer canceled one', [sub('starter', 'active', 1), sub('pro', 'canceled', 2)], 'starter', false],
    ['the newest live one wins', [sub('starter', 'active', 1), sub('pro', 'active', 2)], 'pro', false],
    ['a live one wins over an unpaid one', [sub('pro', 'unpaid', 2), sub('starter', 'active', 1)], 'starter', false],
  ];
  for (const [name, subscriptions, planId, unpaid] of cases) {
    it(name, () => assert.deepEqual(billingDecision(subscriptions), { planId, unpaid }));
  }
});

describe('tenantUpdate', () => {
  const active = { planId: 'free', status: 'active' as const, statusReason: null };

  it('changes the plan', () => {
    assert.deepEqual(tenantUpdate(active, { planId: 'pro', unpaid: false }), { planId: 'pro' });
  });

  it('is null when nothing changes', () => {
    assert.equal(tenantUpdate({ ...active, planId: 'pro' }, { planId: 'pro', unpaid: false }), null);
  });

  it('pauses an active tenant that stopped paying, with a reason the customer can act on', () => {
    assert.deepEqual(tenantUpdate({ ...active, planId: 'pro' }, { planId: 'pro', unpaid: true }), {
      status: 'paused',
      statusReason: BILLING_PAUSE_REASON,
    });
  });

  it('lifts its own pause once the subscription is live again', () => {
    const paused = { planId: 'pro', status: 'paused' as const, statusReason: BILLING_PAUSE_REASON };
    assert.deepEqual(tenantUpdate(paused, { planId: 'pro', unpaid: false }), { status: 'active' });
  });

  it("never lifts an operator's pause or suspension", () => {
    for (const status of ['paused', 'suspended'] as const) {
      const held = { planId: 'pro', status, statusReason: 'abuse report 4411' };
      assert.equal(tenantUpdate(held, { planId: 'pro', unpaid: false }), null);
      assert.equal(tenantUpdate(held, { planId: 'pro', unpaid: true }), null);
    }
  });
});
