import { ApiError } from '../../api/api-error';
import type { Subscription } from '../../api/types';
import { formatDate } from '../../components/format';

/** Statuses in which a subscription still holds the team to a plan (the API refuses a second checkout then). */
const HOLDING = new Set(['active', 'trialing', 'past_due', 'unpaid']);

export function isHolding(subscription: Subscription | null | undefined): subscription is Subscription {
  return subscription != null && HOLDING.has(subscription.status);
}

/** The monthly price in its currency ("$15", "$7.50"), or "Free". */
export function formatPrice(cents: number, currency: string): string {
  if (cents === 0) return 'Free';
  const digits = cents % 100 === 0 ? 0 : 2;
  return (cents / 100).toLocaleString('en', { style: 'currency', currency: currency.toUpperCase(), minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** The subscription's state in one sentence a customer can act on. */
export function subscriptionWords(subscription: Subscription | null, planName: string): string {
  if (!subscription) return `No subscription: the team is on the ${planName} plan.`;
  const end = subscription.currentPeriodEnd ? formatDate(subscription.currentPeriodEnd) : null;
  const ending = subscription.cancelAtPeriodEnd && end ? ` It ends on ${end}; the team then moves to the free plan.` : '';
  switch (subscription.status) {
    case 'active':
      return ending ? `Active.${ending}` : end ? `Active. Renews on ${end}.` : 'Active.';
    case 'trialing':
      return ending ? `Free trial.${ending}` : end ? `Free trial until ${end}; the first payment is taken then.` : 'Free trial.';
    case 'past_due':
      return 'The last payment failed.';
    case 'unpaid':
      return 'Unpaid: sending is paused.';
    case 'canceled':
      return `Canceled. The team is on the ${planName} plan.`;
    case 'incomplete':
      return 'Waiting for the first payment to go through.';
    case 'incomplete_expired':
      return 'Checkout was not completed; nothing was charged.';
    case 'paused':
      return 'Paused by Stripe: the trial ended without a payment method.';
  }
}

/**
 * Checkout and portal failures in this page's words: the API's messages name the "billing portal" and fields the
 * customer never sees. Anything else keeps the shared wording.
 */
export function billingActionError(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  const reworded = (message: string) => new ApiError(error.status, error.code, message, [], error.correlationId);
  switch (error.status) {
    case 400:
      return reworded('This plan cannot be bought here any more. Reload the page to see the plans on offer.');
    case 409:
      return reworded('This team already has a subscription. Change plan with “Manage billing”.');
    case 412:
      return reworded('There is no billing account yet: choose a plan first.');
    case 503:
      return reworded('The payment provider cannot be reached right now. Nothing was charged; try again in a minute.');
    default:
      return error;
  }
}
