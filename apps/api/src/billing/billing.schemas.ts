import { tenantLimitsSchema } from '@smarthost/relay-policy';
import { z } from 'zod';

export const checkoutBody = z.strictObject({ planId: z.string().min(1, { message: 'is required' }).max(64) });
export type CheckoutBody = z.infer<typeof checkoutBody>;

/** Stripe's subscription statuses (https://docs.stripe.com/api/subscriptions/object#subscription_object-status). */
export const subscriptionStatus = z.enum(['incomplete', 'incomplete_expired', 'trialing', 'active', 'past_due', 'canceled', 'unpaid', 'paused']);

export type SubscriptionStatus = z.infer<typeof subscriptionStatus>;

const planView = z.object({
  id: z.string(),
  name: z.string(),
  /** Monthly price in the currency's minor unit. */
  priceCents: z.number().int(),
  /** ISO 4217, lower case as Stripe writes it. */
  currency: z.string(),
  limits: tenantLimitsSchema,
  /** Sold through Stripe Checkout on this installation. */
  purchasable: z.boolean(),
});

export const billingView = z.object({
  /** False when this installation has no Stripe account configured: plans change only through an operator. */
  enabled: z.boolean(),
  plan: planView,
  /** The subscription that decides the plan, if any (newest first among live ones). */
  subscription: z
    .object({
      status: subscriptionStatus,
      planId: z.string(),
      currentPeriodEnd: z.iso.datetime().nullable(),
      cancelAtPeriodEnd: z.boolean(),
    })
    .nullable(),
  /** A Stripe customer exists, so the billing portal (invoices, payment method, cancel) can open. */
  hasBillingAccount: z.boolean(),
  plans: z.array(planView),
});
export type BillingView = z.infer<typeof billingView>;

export const redirectView = z.object({ url: z.url() });
export type RedirectView = z.infer<typeof redirectView>;
