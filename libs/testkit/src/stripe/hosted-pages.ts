import type Stripe from 'stripe';
import { StripeApiError } from './api-error';
import { checkoutPage, errorPage, portalPage } from './page-html';
import { FakeStripeStore, isLive } from './store';

export interface PageResponse {
  status: number;
  html?: string;
  /** For a 303 after a form post. */
  location?: string;
}

/** What the pages' buttons do; they post webhooks, which the store alone does not. */
export interface PageActions {
  completeCheckout(sessionId: string): Promise<Stripe.Subscription>;
  cancelSubscription(id: string): Promise<Stripe.Subscription>;
}

type PageHandler = (ids: string[]) => Promise<PageResponse>;

/** The browser side of the fake: Checkout and the customer portal that the dashboard redirects to. */
export class HostedPages {
  private readonly routes: readonly { method: string; pattern: RegExp; handle: PageHandler }[];

  constructor(store: FakeStripeStore, actions: PageActions) {
    this.routes = [
      { method: 'GET', pattern: /^\/checkout\/([^/]+)$/, handle: async ([id = '']) => showCheckout(store, id) },
      { method: 'POST', pattern: /^\/checkout\/([^/]+)\/pay$/, handle: ([id = '']) => pay(store, actions, id) },
      { method: 'GET', pattern: /^\/portal\/([^/]+)$/, handle: async ([id = '']) => showPortal(store, id) },
      {
        method: 'POST',
        pattern: /^\/portal\/([^/]+)\/cancel\/([^/]+)$/,
        handle: ([id = '', subscriptionId = '']) => cancel(store, actions, id, subscriptionId),
      },
    ];
  }

  /** Undefined when no page has this path. */
  async handle(method: string, path: string): Promise<PageResponse | undefined> {
    for (const route of this.routes) {
      const match = route.method === method ? route.pattern.exec(path) : null;
      if (!match) continue;
      try {
        return await route.handle(match.slice(1).map(decodeURIComponent));
      } catch (error) {
        if (error instanceof StripeApiError) return { status: error.status, html: errorPage(error.status, error.message) };
        throw error;
      }
    }
    return undefined;
  }
}

function showCheckout(store: FakeStripeStore, id: string): PageResponse {
  const session = store.checkoutSession(id);
  return { status: 200, html: checkoutPage(session, store.checkoutPrice(id)) };
}

/** Answers only after the webhooks, so the page the browser lands on already sees the subscription. */
async function pay(store: FakeStripeStore, actions: PageActions, id: string): Promise<PageResponse> {
  const successUrl = store.checkoutSession(id).success_url ?? '/';
  await actions.completeCheckout(id);
  return { status: 303, location: successUrl.replaceAll('{CHECKOUT_SESSION_ID}', id) };
}

function showPortal(store: FakeStripeStore, id: string): PageResponse {
  const session = store.portalSession(id);
  const subscriptions = store.subscriptionsOf(session.customer);
  const entries = subscriptions.map((subscription) => ({ subscription, cancellable: isLive(subscription) }));
  return { status: 200, html: portalPage(session, entries) };
}

async function cancel(
  store: FakeStripeStore,
  actions: PageActions,
  id: string,
  subscriptionId: string,
): Promise<PageResponse> {
  const session = store.portalSession(id);
  // One customer's portal link must not cancel another customer's subscription.
  if (store.subscription(subscriptionId).customer !== session.customer) {
    return { status: 404, html: errorPage(404, `No such subscription: '${subscriptionId}'`) };
  }
  await actions.cancelSubscription(subscriptionId);
  return { status: 303, location: `/portal/${encodeURIComponent(id)}` };
}
