import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import Stripe from 'stripe';
import { FakeStripe, startFakeStripe } from './fake-stripe';

const secretKey = 'sk_test_fake_stripe_spec';
const webhookSecret = 'whsec_fake_stripe_spec';
const prices = [
  { id: 'price_starter', unitAmount: 1500, currency: 'usd' },
  { id: 'price_pro', unitAmount: 7500, currency: 'usd' },
];
const THIRTY_DAYS = 30 * 24 * 60 * 60;

/** A webhook endpoint that accepts only events whose signature the real SDK verifies. */
async function startReceiver(stripe: Stripe) {
  const events: Stripe.Event[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        const signature = req.headers['stripe-signature'] ?? '';
        events.push(stripe.webhooks.constructEvent(Buffer.concat(chunks), signature, webhookSecret));
        res.writeHead(200).end('{"received":true}');
      } catch (error) {
        res.writeHead(400).end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/stripe`;
  return { url, events, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function sdk(fake: FakeStripe, key = secretKey): Stripe {
  return new Stripe(key, { host: fake.host, port: fake.port, protocol: 'http', maxNetworkRetries: 0 });
}

describe('startFakeStripe with the real Stripe SDK', () => {
  let fake: FakeStripe;
  let stripe: Stripe;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  before(async () => {
    fake = await startFakeStripe({ secretKey, webhookSecret, prices });
    stripe = sdk(fake);
    receiver = await startReceiver(stripe);
    fake.setWebhookUrl(receiver.url);
  });
  after(async () => {
    await fake.close();
    await receiver.close();
  });

  const newCustomer = () => stripe.customers.create({ email: 'owner@tenant.test', metadata: { tenantId: 't1' } });
  const openCheckout = (customer: string, price = 'price_starter') =>
    stripe.checkout.sessions.create({
      mode: 'subscription',
      customer,
      line_items: [{ price, quantity: 1 }],
      success_url: 'http://app.test/billing?session={CHECKOUT_SESSION_ID}',
      cancel_url: 'http://app.test/billing',
      metadata: { tenantId: 't1' },
      subscription_data: { metadata: { tenantId: 't1', plan: 'starter' } },
    });
  const openPortal = (customer: string) =>
    stripe.billingPortal.sessions.create({ customer, return_url: 'http://app.test/billing' });
  const paidSubscription = async () => fake.completeCheckout((await openCheckout((await newCustomer()).id)).id);
  const eventTypesFor = (objectId: string) =>
    receiver.events.filter((event) => (event.data.object as { id: string }).id === objectId).map((event) => event.type);

  it('creates and retrieves a customer', async () => {
    const created = await stripe.customers.create({ email: 'a@tenant.test', name: 'A', metadata: { tenantId: 't1' } });
    assert.match(created.id, /^cus_\w+$/);
    assert.equal(created.object, 'customer');
    assert.deepEqual(created.metadata, { tenantId: 't1' });
    const retrieved = await stripe.customers.retrieve(created.id);
    assert.deepEqual(retrieved, created);
    assert.equal(fake.customers.get(created.id)?.email, 'a@tenant.test');
  });

  it('opens a subscription checkout session whose url is the hosted page', async () => {
    const customer = await newCustomer();
    const session = await openCheckout(customer.id);
    assert.match(session.id, /^cs_\w+$/);
    assert.equal(session.status, 'open');
    assert.equal(session.url, `${fake.url}/checkout/${session.id}`);
    assert.equal(session.customer, customer.id);
    assert.equal(session.subscription, null);
    assert.deepEqual(session.metadata, { tenantId: 't1' });
    assert.deepEqual(await stripe.checkout.sessions.retrieve(session.id), session);
  });

  it('refuses a checkout session for a price it does not sell, naming the parameter', async () => {
    const customer = await newCustomer();
    await assert.rejects(openCheckout(customer.id, 'price_enterprise'), {
      type: 'StripeInvalidRequestError',
      statusCode: 400,
      code: 'resource_missing',
      param: 'line_items[0][price]',
    });
  });

  it('refuses a checkout session for an unknown customer', async () => {
    await assert.rejects(openCheckout('cus_nobody'), {
      type: 'StripeInvalidRequestError',
      code: 'resource_missing',
      param: 'customer',
    });
  });

  it('rejects a wrong API key', async () => {
    const stranger = sdk(fake, 'sk_test_wrong');
    await assert.rejects(stranger.customers.create({}), { type: 'StripeAuthenticationError', statusCode: 401 });
  });

  it('replays a request with the same idempotency key, and refuses the key with other parameters', async () => {
    const idempotencyKey = 'create-customer-for-tenant-t9';
    const first = await stripe.customers.create({ email: 'same@tenant.test' }, { idempotencyKey });
    const again = await stripe.customers.create({ email: 'same@tenant.test' }, { idempotencyKey });
    assert.deepEqual(again, first);
    const stored = [...fake.customers.values()].filter((customer) => customer.email === 'same@tenant.test');
    assert.equal(stored.length, 1);
    const otherParams = stripe.customers.create({ email: 'other@tenant.test' }, { idempotencyKey });
    await assert.rejects(otherParams, { type: 'StripeIdempotencyError' });
  });

  it('opens a billing portal session', async () => {
    const portal = await openPortal((await newCustomer()).id);
    assert.match(portal.id, /^bps_\w+$/);
    assert.equal(portal.object, 'billing_portal.session');
    assert.equal(portal.url, `${fake.url}/portal/${portal.id}`);
    assert.equal(portal.return_url, 'http://app.test/billing');
  });

  it('completes checkout: a subscription, then signed session-completed and subscription-created events', async () => {
    const customer = await newCustomer();
    const session = await openCheckout(customer.id);
    const subscription = await fake.completeCheckout(session.id);

    assert.match(subscription.id, /^sub_\w+$/);
    assert.equal(subscription.status, 'active');
    assert.equal(subscription.customer, customer.id);
    assert.deepEqual(subscription.metadata, { tenantId: 't1', plan: 'starter' });
    const [item] = subscription.items.data;
    assert.equal(item?.price.id, 'price_starter');
    assert.equal(item?.price.unit_amount, 1500);
    assert.equal((item?.current_period_end ?? 0) - (item?.current_period_start ?? 0), THIRTY_DAYS);
    assert.deepEqual(await stripe.subscriptions.retrieve(subscription.id), subscription);

    const completed = await stripe.checkout.sessions.retrieve(session.id);
    assert.equal(completed.status, 'complete');
    assert.equal(completed.subscription, subscription.id);
    assert.deepEqual(eventTypesFor(session.id), ['checkout.session.completed']);
    assert.deepEqual(eventTypesFor(subscription.id), ['customer.subscription.created']);
    const lastTwo = receiver.events.slice(-2);
    assert.deepEqual(lastTwo.map((event) => event.type), ['checkout.session.completed', 'customer.subscription.created']);
    assert.equal(lastTwo[0]?.api_version, Stripe.API_VERSION);
    assert.deepEqual(fake.deliveries.slice(-2).map((delivery) => delivery.status), [200, 200]);
  });

  it('posts customer.subscription.updated and .deleted, and retrieval shows the changes', async () => {
    const subscription = await paidSubscription();
    await fake.updateSubscription(subscription.id, { price: 'price_pro', cancelAtPeriodEnd: true, status: 'past_due' });
    const updated = await stripe.subscriptions.retrieve(subscription.id);
    assert.equal(updated.items.data[0]?.price.id, 'price_pro');
    assert.equal(updated.cancel_at_period_end, true);
    assert.equal(updated.status, 'past_due');

    await fake.cancelSubscription(subscription.id);
    const ended = await stripe.subscriptions.retrieve(subscription.id);
    assert.equal(ended.status, 'canceled');
    assert.equal(typeof ended.ended_at, 'number');
    assert.deepEqual(eventTypesFor(subscription.id), [
      'customer.subscription.created',
      'customer.subscription.updated',
      'customer.subscription.deleted',
    ]);
  });

  it('answers 404 resource_missing for an unknown subscription', async () => {
    await assert.rejects(stripe.subscriptions.retrieve('sub_missing'), {
      type: 'StripeInvalidRequestError',
      statusCode: 404,
      code: 'resource_missing',
    });
  });

  it('records a delivery with status 0 when the webhook endpoint is unreachable', async () => {
    const gone = await startReceiver(stripe);
    await gone.close();
    fake.setWebhookUrl(gone.url);
    try {
      const delivery = await fake.sendEvent('invoice.paid', { id: 'in_test', object: 'invoice' });
      assert.equal(delivery.status, 0);
      assert.match(delivery.body, /ECONNREFUSED/);
      assert.equal(fake.deliveries.at(-1), delivery);
    } finally {
      fake.setWebhookUrl(receiver.url);
    }
  });

  it('hosted checkout page: pays and redirects to success_url with the session id', async () => {
    const session = await openCheckout((await newCustomer()).id);
    const page = await fetch(session.url ?? '');
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /\$15\.00 per month/);
    assert.match(html, /<button type="submit">Pay and subscribe<\/button>/);
    assert.match(html, /<a href="http:\/\/app\.test\/billing">Cancel<\/a>/);

    const paid = await fetch(`${fake.url}/checkout/${session.id}/pay`, { method: 'POST', redirect: 'manual' });
    assert.equal(paid.status, 303);
    assert.equal(paid.headers.get('location'), `http://app.test/billing?session=${session.id}`);
    const subscriptionId = fake.checkoutSessions.get(session.id)?.subscription;
    assert.equal(typeof subscriptionId, 'string');
    assert.equal((await stripe.subscriptions.retrieve(subscriptionId as string)).status, 'active');
  });

  it('hosted portal page: cancels a subscription and returns to the portal', async () => {
    const subscription = await paidSubscription();
    const portal = await openPortal(subscription.customer as string);
    const page = await (await fetch(portal.url)).text();
    assert.ok(page.includes(subscription.id));
    assert.match(page, /<button type="submit">Cancel subscription<\/button>/);
    assert.match(page, /<a href="http:\/\/app\.test\/billing">Return<\/a>/);

    const cancelled = await fetch(`${portal.url}/cancel/${subscription.id}`, { method: 'POST', redirect: 'manual' });
    assert.equal(cancelled.status, 303);
    assert.equal(cancelled.headers.get('location'), `/portal/${portal.id}`);
    assert.equal((await stripe.subscriptions.retrieve(subscription.id)).status, 'canceled');
    assert.deepEqual(eventTypesFor(subscription.id).at(-1), 'customer.subscription.deleted');
    assert.doesNotMatch(await (await fetch(portal.url)).text(), /Cancel subscription/);
  });
});
