import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';

/** A monthly recurring price the fake sells; amounts in the currency's smallest unit, as Stripe's `unit_amount`. */
export interface FakeStripePrice {
  id: string;
  unitAmount: number;
  currency: string;
  product?: string;
}

export type Metadata = Record<string, string>;

// Fixed rather than calendar months so that tests can compute period ends.
const PERIOD_SECONDS = 30 * 24 * 60 * 60;

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}

export function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * Stripe's types describe every field of the live API. The fake fills the fields billing code reads, with
 * Stripe's names and value types (checked by `Partial<T>`), and leaves the rest absent.
 */
function stripeShape<T>(fields: Partial<T>): T {
  return fields as T;
}

export function customerObject(fields: { email: string | null; name: string | null; metadata: Metadata }): Stripe.Customer {
  return stripeShape<Stripe.Customer>({
    id: newId('cus'),
    object: 'customer',
    created: unixNow(),
    livemode: false,
    balance: 0,
    description: null,
    default_source: null,
    shipping: null,
    ...fields,
  });
}

export interface CheckoutFields {
  customer: string;
  price: FakeStripePrice;
  successUrl: string;
  cancelUrl: string;
  clientReferenceId: string | null;
  metadata: Metadata;
}

export function checkoutSessionObject(fields: CheckoutFields, pageUrl: (id: string) => string): Stripe.Checkout.Session {
  const id = newId('cs');
  const created = unixNow();
  return stripeShape<Stripe.Checkout.Session>({
    id,
    object: 'checkout.session',
    created,
    expires_at: created + 24 * 60 * 60,
    livemode: false,
    mode: 'subscription',
    status: 'open',
    payment_status: 'unpaid',
    customer: fields.customer,
    client_reference_id: fields.clientReferenceId,
    metadata: fields.metadata,
    currency: fields.price.currency,
    amount_subtotal: fields.price.unitAmount,
    amount_total: fields.price.unitAmount,
    subscription: null,
    success_url: fields.successUrl,
    cancel_url: fields.cancelUrl,
    url: pageUrl(id),
  });
}

export function portalSessionObject(
  customer: string,
  returnUrl: string | null,
  pageUrl: (id: string) => string,
): Stripe.BillingPortal.Session {
  const id = newId('bps');
  return stripeShape<Stripe.BillingPortal.Session>({
    id,
    object: 'billing_portal.session',
    created: unixNow(),
    livemode: false,
    customer,
    return_url: returnUrl,
    url: pageUrl(id),
  });
}

export function priceObject(price: FakeStripePrice): Stripe.Price {
  return stripeShape<Stripe.Price>({
    id: price.id,
    object: 'price',
    active: true,
    type: 'recurring',
    livemode: false,
    currency: price.currency,
    unit_amount: price.unitAmount,
    product: price.product ?? `prod_${price.id}`,
    recurring: { interval: 'month', interval_count: 1, meter: null, trial_period_days: null, usage_type: 'licensed' },
  });
}

/** An active subscription with one item; the billing period is on the item, as in API versions since 2025-03-31. */
export function subscriptionObject(customer: string, price: FakeStripePrice, metadata: Metadata): Stripe.Subscription {
  const id = newId('sub');
  const start = unixNow();
  const item = stripeShape<Stripe.SubscriptionItem>({
    id: newId('si'),
    object: 'subscription_item',
    created: start,
    subscription: id,
    metadata: {},
    price: priceObject(price),
    quantity: 1,
    current_period_start: start,
    current_period_end: start + PERIOD_SECONDS,
  });
  return stripeShape<Stripe.Subscription>({
    id,
    object: 'subscription',
    created: start,
    start_date: start,
    billing_cycle_anchor: start,
    livemode: false,
    customer,
    currency: price.currency,
    status: 'active',
    cancel_at_period_end: false,
    cancel_at: null,
    canceled_at: null,
    ended_at: null,
    trial_start: null,
    trial_end: null,
    latest_invoice: null,
    metadata,
    items: { object: 'list', data: [item], has_more: false, url: `/v1/subscription_items?subscription=${id}` },
  });
}

/** `type` is any event type name: tests may send events the fake never raises itself. */
export function eventObject(type: string, object: object): Stripe.Event {
  const event: Stripe.EventBase = {
    id: newId('evt'),
    object: 'event',
    api_version: Stripe.API_VERSION,
    created: unixNow(),
    livemode: false,
    type: type as Stripe.Event.Type,
    // A snapshot, as Stripe sends: later changes to the stored object must not show up in recorded deliveries.
    data: { object: structuredClone(object) as Stripe.Event.Data.Object },
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
  };
  return event as Stripe.Event;
}
