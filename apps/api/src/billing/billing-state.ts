import type { TenantStatus } from '@smarthost/db';
import type { TenantPolicyUpdate } from '../tenants/tenant-policy';

export const FREE_PLAN_ID = 'free';

/** Why billing paused a tenant; only a pause with exactly this reason is lifted by billing. */
export const BILLING_PAUSE_REASON = 'payment overdue: update the payment method under Billing, and sending resumes';

/** Stripe statuses in which the customer has the plan: paid, trialing, or a failed payment Stripe is still retrying. */
const LIVE = new Set(['active', 'trialing', 'past_due']);

/** Statuses that still hold the tenant to a plan (live, or unpaid and paused): a second checkout would charge twice. */
export const HOLDING_STATUSES = [...LIVE, 'unpaid'];

export interface SubscriptionState {
  planId: string;
  status: string;
  createdAt: Date;
}

export interface BillingDecision {
  planId: string;
  /** Stripe gave up collecting (`unpaid`): the tenant keeps its plan but may not send until it pays. */
  unpaid: boolean;
}

/**
 * What a tenant's subscriptions entitle it to: the newest live subscription's plan; else the plan of an `unpaid` one,
 * paused; else the free plan (canceled, expired, or checkout never finished).
 */
export function billingDecision(subscriptions: readonly SubscriptionState[]): BillingDecision {
  const newestFirst = [...subscriptions].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const live = newestFirst.find((s) => LIVE.has(s.status));
  if (live) return { planId: live.planId, unpaid: false };
  const unpaid = newestFirst.find((s) => s.status === 'unpaid');
  if (unpaid) return { planId: unpaid.planId, unpaid: true };
  return { planId: FREE_PLAN_ID, unpaid: false };
}

export interface TenantBillingView {
  planId: string;
  status: TenantStatus;
  statusReason: string | null;
}

/**
 * The change a decision makes to a tenant, or null when there is none. Billing pauses only an active tenant and lifts
 * only its own pause: a suspension or pause by an operator stays until an operator lifts it.
 */
export function tenantUpdate(tenant: TenantBillingView, decision: BillingDecision): TenantPolicyUpdate | null {
  const update: TenantPolicyUpdate = {};
  if (tenant.planId !== decision.planId) update.planId = decision.planId;
  const pausedByBilling = tenant.status === 'paused' && tenant.statusReason === BILLING_PAUSE_REASON;
  if (decision.unpaid && tenant.status === 'active') Object.assign(update, { status: 'paused', statusReason: BILLING_PAUSE_REASON });
  if (!decision.unpaid && pausedByBilling) update.status = 'active';
  return Object.keys(update).length > 0 ? update : null;
}
