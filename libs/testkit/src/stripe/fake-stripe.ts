import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Stripe from 'stripe';
import { StripeApi } from './api-routes';
import { parseForm } from './form-body';
import { HostedPages } from './hosted-pages';
import { FakeStripeStore, SubscriptionChange } from './store';
import { eventObject, FakeStripePrice } from './stripe-objects';
import { deliverEvent, WebhookDelivery } from './webhook-sender';

export type { FakeStripePrice } from './stripe-objects';
export type { WebhookDelivery } from './webhook-sender';
export type { SubscriptionChange } from './store';

export interface FakeStripeOptions {
  secretKey: string;
  /** The endpoint secret (`whsec_…`) the receiver verifies `Stripe-Signature` with. */
  webhookSecret: string;
  prices: FakeStripePrice[];
  webhookUrl?: string;
  port?: number;
}

export interface FakeStripe {
  /** `http://127.0.0.1:<port>`; point the SDK at it with `{ host, port, protocol: 'http' }`. */
  url: string;
  host: '127.0.0.1';
  port: number;
  setWebhookUrl(url: string): void;
  /** Stored objects, as Stripe JSON (snake_case) so tests can assert on them. */
  customers: Map<string, Stripe.Customer>;
  checkoutSessions: Map<string, Stripe.Checkout.Session>;
  subscriptions: Map<string, Stripe.Subscription>;
  /** Every webhook delivery attempted, in the order they finished. */
  deliveries: WebhookDelivery[];
  /**
   * As if the customer paid on the hosted Checkout page: an active subscription at the session's price, the
   * session complete, then `checkout.session.completed` and `customer.subscription.created`, in that order.
   */
  completeCheckout(sessionId: string): Promise<Stripe.Subscription>;
  /** Changes the subscription and posts `customer.subscription.updated`. */
  updateSubscription(id: string, change: SubscriptionChange): Promise<Stripe.Subscription>;
  /** Ends the subscription now and posts `customer.subscription.deleted`. */
  cancelSubscription(id: string): Promise<Stripe.Subscription>;
  /** Builds an event of this type around (a snapshot of) `object`, signs it and posts it. */
  sendEvent(type: string, object: object): Promise<WebhookDelivery>;
  close(): Promise<void>;
}

/**
 * A stand-in for the Stripe API on 127.0.0.1 that the real SDK talks to, with hosted Checkout and portal
 * pages and signed webhooks, so tests and the demo never reach the internet.
 */
export async function startFakeStripe(options: FakeStripeOptions): Promise<FakeStripe> {
  const server = createServer();
  const port = await listen(server, options.port ?? 0);
  const url = `http://127.0.0.1:${port}`;
  const store = new FakeStripeStore(options.prices, url);
  const deliveries: WebhookDelivery[] = [];
  let webhookUrl = options.webhookUrl;

  const sendEvent = async (type: string, object: object) => {
    const delivery = await deliverEvent(eventObject(type, object), webhookUrl, options.webhookSecret);
    deliveries.push(delivery);
    return delivery;
  };
  const fake: FakeStripe = {
    url,
    host: '127.0.0.1',
    port,
    setWebhookUrl: (next) => (webhookUrl = next),
    customers: store.customers,
    checkoutSessions: store.checkoutSessions,
    subscriptions: store.subscriptions,
    deliveries,
    completeCheckout: async (sessionId) => {
      const { session, subscription } = store.completeCheckout(sessionId);
      await sendEvent('checkout.session.completed', session);
      await sendEvent('customer.subscription.created', subscription);
      return subscription;
    },
    updateSubscription: async (id, change) => {
      const subscription = store.updateSubscription(id, change);
      await sendEvent('customer.subscription.updated', subscription);
      return subscription;
    },
    cancelSubscription: async (id) => {
      const subscription = store.cancelSubscription(id);
      await sendEvent('customer.subscription.deleted', subscription);
      return subscription;
    },
    sendEvent,
    close: () => close(server),
  };
  const handler = requestHandler(new StripeApi(options.secretKey, store), new HostedPages(store, fake));
  // Attached in the same tick as listen resolved, so no request can have come in before it.
  server.on('request', (req, res) => void handler(req, res));
  return fake;
}

function requestHandler(api: StripeApi, pages: HostedPages) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { pathname, search } = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    try {
      const rawBody = await readBody(req);
      if (pathname.startsWith('/v1/')) {
        const params = parseForm(method === 'GET' ? search.slice(1) : rawBody);
        const response = api.handle({ method, path: pathname, params, rawBody, ...authHeaders(req) });
        return sendJson(res, response.status, response.body, response.replayed ? { 'idempotent-replayed': 'true' } : {});
      }
      const page = await pages.handle(method, pathname);
      if (!page) {
        const message = `Unrecognized request URL (${method}: ${pathname}).`;
        return sendJson(res, 404, { error: { type: 'invalid_request_error', message } });
      }
      const headers = page.location ? { location: page.location } : { 'content-type': 'text/html; charset=utf-8' };
      res.writeHead(page.status, headers);
      res.end(page.html);
    } catch (error) {
      // A fault in the fake itself: say what it was, since the reader is a developer looking at a failing test.
      sendJson(res, 500, { error: { type: 'api_error', message: error instanceof Error ? error.message : String(error) } });
    }
  };
}

function authHeaders(req: IncomingMessage): { authorization?: string; idempotencyKey?: string } {
  const key = req.headers['idempotency-key'];
  return {
    ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    ...(typeof key === 'string' ? { idempotencyKey: key } : {}),
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * The SDK keeps connections alive; they are dropped so that close does not wait for their idle timeout. Closing
 * twice is fine: a test that takes Stripe down mid-way leaves its cleanup unchanged.
 */
function close(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
