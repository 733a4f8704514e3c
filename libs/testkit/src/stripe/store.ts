import type Stripe from 'stripe';
import { invalidRequest, resourceMissing, StripeApiError } from './api-error';
import {
  CheckoutFields,
  checkoutSessionObject,
  customerObject,
  FakeStripePrice,
  Metadata,
  portalSessionObject,
  priceObject,
  subscriptionObject,
  unixNow,
} from './stripe-objects';

export interface CheckoutInput {
  customer: string;
  price: string;
  successUrl: string;
  cancelUrl: string;
  clientReferenceId: string | null;
  metadata: Metadata;
  subscriptionMetadata: Metadata;
}

export interface SubscriptionChange {
  status?: Stripe.Subscription.Status;
  price?: string;
  cancelAtPeriodEnd?: boolean;
}

/** What a Checkout session will subscribe to: Stripe keeps this but does not show it on the session object. */
interface CheckoutTerms {
  price: FakeStripePrice;
  subscriptionMetadata: Metadata;
}

const ENDED: readonly Stripe.Subscription.Status[] = ['canceled', 'incomplete_expired'];

/** The fake account's objects and the rules for changing them; refusals are Stripe's errors. */
export class FakeStripeStore {
  readonly customers: Map<string, Stripe.Customer> = new Map();
  readonly checkoutSessions: Map<string, Stripe.Checkout.Session> = new Map();
  readonly subscriptions: Map<string, Stripe.Subscription> = new Map();
  readonly portalSessions: Map<string, Stripe.BillingPortal.Session> = new Map();
  private readonly checkoutTerms = new Map<string, CheckoutTerms>();
  private readonly prices: ReadonlyMap<string, FakeStripePrice>;

  constructor(
    prices: readonly FakeStripePrice[],
    private readonly baseUrl: string,
  ) {
    this.prices = new Map(prices.map((price) => [price.id, price]));
  }

  createCustomer(fields: { email: string | null; name: string | null; metadata: Metadata }): Stripe.Customer {
    const customer = customerObject(fields);
    this.customers.set(customer.id, customer);
    return customer;
  }

  customer(id: string, param = 'id'): Stripe.Customer {
    return found(this.customers.get(id), () => resourceMissing('customer', id, param));
  }

  createCheckoutSession(input: CheckoutInput): Stripe.Checkout.Session {
    this.customer(input.customer, 'customer');
    const price = this.price(input.price, 'line_items[0][price]');
    const fields: CheckoutFields = { ...input, price };
    const session = checkoutSessionObject(fields, (id) => `${this.baseUrl}/checkout/${id}`);
    this.checkoutSessions.set(session.id, session);
    this.checkoutTerms.set(session.id, { price, subscriptionMetadata: input.subscriptionMetadata });
    return session;
  }

  checkoutSession(id: string): Stripe.Checkout.Session {
    return found(this.checkoutSessions.get(id), () => resourceMissing('checkout.session', id));
  }

  /** The price the session will subscribe to, for the hosted page. */
  checkoutPrice(sessionId: string): Stripe.Price {
    const terms = this.checkoutTerms.get(sessionId);
    if (!terms) throw resourceMissing('checkout.session', sessionId);
    return priceObject(terms.price);
  }

  createPortalSession(customer: string, returnUrl: string | null): Stripe.BillingPortal.Session {
    this.customer(customer, 'customer');
    const session = portalSessionObject(customer, returnUrl, (id) => `${this.baseUrl}/portal/${id}`);
    this.portalSessions.set(session.id, session);
    return session;
  }

  portalSession(id: string): Stripe.BillingPortal.Session {
    return found(this.portalSessions.get(id), () => resourceMissing('billing_portal.session', id));
  }

  subscription(id: string): Stripe.Subscription {
    return found(this.subscriptions.get(id), () => resourceMissing('subscription', id));
  }

  subscriptionsOf(customer: string): Stripe.Subscription[] {
    return [...this.subscriptions.values()].filter((subscription) => subscription.customer === customer);
  }

  /**
   * Payment on the hosted page. The session's metadata goes onto the subscription too (real Stripe copies only
   * `subscription_data.metadata`), with `subscription_data.metadata` winning on a shared key.
   */
  completeCheckout(sessionId: string): { session: Stripe.Checkout.Session; subscription: Stripe.Subscription } {
    const session = this.checkoutSession(sessionId);
    const terms = this.checkoutTerms.get(sessionId);
    if (session.status !== 'open' || !terms) {
      throw invalidRequest(`Checkout session ${sessionId} is ${session.status}, not open.`);
    }
    const metadata = { ...session.metadata, ...terms.subscriptionMetadata };
    const subscription = subscriptionObject(session.customer as string, terms.price, metadata);
    this.subscriptions.set(subscription.id, subscription);
    Object.assign(session, { status: 'complete', payment_status: 'paid', subscription: subscription.id });
    return { session, subscription };
  }

  updateSubscription(id: string, change: SubscriptionChange): Stripe.Subscription {
    const subscription = this.subscription(id);
    const item = subscription.items.data[0];
    if (change.price !== undefined && item) item.price = priceObject(this.price(change.price, 'items[0][price]'));
    if (change.status !== undefined) subscription.status = change.status;
    if (change.cancelAtPeriodEnd !== undefined) subscription.cancel_at_period_end = change.cancelAtPeriodEnd;
    return subscription;
  }

  cancelSubscription(id: string): Stripe.Subscription {
    const subscription = this.subscription(id);
    if (!isLive(subscription)) throw invalidRequest(`Subscription ${id} has already ended (${subscription.status}).`);
    const now = unixNow();
    Object.assign(subscription, { status: 'canceled', canceled_at: now, ended_at: now });
    return subscription;
  }

  private price(id: string, param: string): FakeStripePrice {
    return found(this.prices.get(id), () => resourceMissing('price', id, param));
  }
}

/** Not yet ended: the customer can still cancel it. */
export function isLive(subscription: Stripe.Subscription): boolean {
  return !ENDED.includes(subscription.status);
}

function found<T>(value: T | undefined, refusal: () => StripeApiError): T {
  if (value === undefined) throw refusal();
  return value;
}
