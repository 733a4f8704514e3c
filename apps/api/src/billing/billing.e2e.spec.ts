import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type FakeStripe, startFakeStripe } from '@smarthost/testkit';
import Stripe from 'stripe';
import { PLANS } from '../seed/plans';
import { createTenantFixture, httpClient, type TenantFixture } from '../test/fixtures';
import { startTestApp, type TestApp } from '../test/test-app';
import { BILLING_PAUSE_REASON } from './billing-state';

const secretKey = `sk_test_${randomBytes(12).toString('hex')}`;
const webhookSecret = `whsec_${randomBytes(16).toString('hex')}`;
const starter = PLANS.find((plan) => plan.id === 'starter')!;

describe('billing through Stripe Checkout, the portal and signed webhooks', () => {
  let stripe: FakeStripe;
  let app: TestApp;
  let owner: TenantFixture;
  let asOwner: ReturnType<typeof httpClient>;
  let subscriptionId: string;

  before(async () => {
    stripe = await startFakeStripe({
      secretKey,
      webhookSecret,
      prices: [
        { id: 'price_starter', unitAmount: 1500, currency: 'usd' },
        { id: 'price_pro', unitAmount: 7500, currency: 'usd' },
      ],
    });
    app = await startTestApp({
      STRIPE_SECRET_KEY: secretKey,
      STRIPE_WEBHOOK_SECRET: webhookSecret,
      STRIPE_API_URL: stripe.url,
      STRIPE_PRICES: 'starter=price_starter,pro=price_pro',
    });
    stripe.setWebhookUrl(`${app.url}/v1/billing/stripe-webhook`);
    owner = await createTenantFixture(app.prisma);
    asOwner = httpClient(app.url, owner.auth);
  });
  after(async () => {
    await app.close();
    await stripe.close();
  });

  const tenant = () => app.prisma.tenant.findUniqueOrThrow({ where: { id: owner.tenantId } });
  const lastDeliveries = (n: number) => stripe.deliveries.slice(-n).map((d) => [d.event.type, d.status]);

  it('shows the free plan and the plans on sale', async () => {
    const { status, body } = await asOwner('GET', '/v1/billing');
    assert.equal(status, 200);
    assert.equal(body.enabled, true);
    assert.equal(body.plan.id, 'free');
    assert.equal(body.subscription, null);
    assert.equal(body.hasBillingAccount, false);
    assert.deepEqual(body.plans.map((p: { id: string; purchasable: boolean }) => [p.id, p.purchasable]), [['free', false], ['starter', true], ['pro', true]]);
  });

  it('refuses a plan that is not sold, naming the field, and callers who may not pay', async () => {
    for (const planId of ['platinum', 'free']) {
      const { status, body } = await asOwner('POST', '/v1/billing/checkout', { planId });
      assert.equal(status, 400);
      assert.equal(body.error.fields[0].field, 'body.planId');
    }
    assert.equal((await asOwner('POST', '/v1/billing/checkout', {})).body.error.fields[0].field, 'body.planId');
    const admin = httpClient(app.url, (await createTenantFixture(app.prisma, 'admin')).auth);
    assert.equal((await admin('GET', '/v1/billing')).status, 200);
    assert.equal((await admin('POST', '/v1/billing/checkout', { planId: 'starter' })).status, 403);
    const viewer = httpClient(app.url, (await createTenantFixture(app.prisma, 'viewer')).auth);
    assert.equal((await viewer('GET', '/v1/billing')).status, 403);
    assert.equal((await asOwner('POST', '/v1/billing/portal')).status, 412);
  });

  it('starts Checkout for one Stripe customer even when asked twice at once', async () => {
    const [first, second] = await Promise.all([
      asOwner('POST', '/v1/billing/checkout', { planId: 'starter' }),
      asOwner('POST', '/v1/billing/checkout', { planId: 'starter' }),
    ]);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(second.status, 200);
    assert.ok(first.body.url.startsWith(`${stripe.url}/checkout/`));
    const customers = [...stripe.customers.values()].filter((c) => c.metadata.tenantId === owner.tenantId);
    assert.equal(customers.length, 1);
    const row = await app.prisma.stripeCustomer.findUniqueOrThrow({ where: { tenantId: owner.tenantId } });
    assert.equal(row.stripeCustomerId, customers[0]!.id);
    const session = stripe.checkoutSessions.get(first.body.url.split('/').pop())!;
    assert.equal(session.customer, row.stripeCustomerId);
    assert.equal(session.success_url, `${app.config.PUBLIC_URL}/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}`);
    assert.equal((await tenant()).planId, 'free', 'nothing changes before Stripe says it is paid');
  });

  it('moves the tenant to the plan when Stripe reports the payment, and the relays learn of it', async () => {
    const changesBefore = await app.prisma.policyChange.count({ where: { tenantId: owner.tenantId, entity: 'tenant' } });
    const { url } = (await asOwner('POST', '/v1/billing/checkout', { planId: 'starter' })).body;
    subscriptionId = (await stripe.completeCheckout(url.split('/').pop())).id;
    assert.deepEqual(lastDeliveries(2), [['checkout.session.completed', 200], ['customer.subscription.created', 200]]);
    assert.equal((await tenant()).planId, 'starter');
    assert.ok((await app.prisma.policyChange.count({ where: { tenantId: owner.tenantId, entity: 'tenant' } })) > changesBefore);
    const limits = (await asOwner('GET', '/v1/tenant')).body.limits;
    assert.equal(limits.messagesPerDay, starter.messagesPerDay);
    const billing = (await asOwner('GET', '/v1/billing')).body;
    assert.equal(billing.subscription.status, 'active');
    assert.equal(billing.subscription.planId, 'starter');
    assert.ok(Date.parse(billing.subscription.currentPeriodEnd) > Date.now());
    assert.equal(billing.hasBillingAccount, true);
    const audit = await app.prisma.auditLog.findMany({ where: { tenantId: owner.tenantId, action: 'plan.changed' } });
    assert.equal(audit.length, 1, 'two events for one payment change the plan once');
  });

  it('refuses a second subscription and opens the portal instead', async () => {
    const again = await asOwner('POST', '/v1/billing/checkout', { planId: 'pro' });
    assert.equal(again.status, 409);
    const portal = await asOwner('POST', '/v1/billing/portal');
    assert.equal(portal.status, 200);
    assert.ok(portal.body.url.startsWith(`${stripe.url}/portal/`));
  });

  it('applies each event once, however often Stripe delivers it', async () => {
    const delivered = stripe.deliveries.at(-1)!;
    const payload = JSON.stringify(delivered.event);
    const replay = await postEvent(payload, Stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret }));
    assert.equal(replay.status, 200);
    assert.deepEqual(replay.body, { received: true, duplicate: true });
  });

  it('refuses events without a valid, fresh signature and changes nothing', async () => {
    const payload = JSON.stringify({ ...stripe.deliveries.at(-1)!.event, id: 'evt_forged' });
    const forged = Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_not_ours' });
    const stale = Stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret, timestamp: Math.floor(Date.now() / 1000) - 600 });
    for (const signature of [forged, stale, undefined]) {
      const { status, body } = await postEvent(payload, signature);
      assert.equal(status, 400);
      assert.equal(body.error.fields[0].field, 'headers.stripe-signature');
    }
    assert.equal(await app.prisma.stripeWebhookEvent.count({ where: { id: 'evt_forged' } }), 0);
  });

  it('follows a plan change made in the portal, and ignores a late, older event', async () => {
    const old = structuredClone(stripe.subscriptions.get(subscriptionId)!);
    await stripe.updateSubscription(subscriptionId, { price: 'price_pro' });
    assert.equal((await tenant()).planId, 'pro');
    const late = await stripe.sendEvent('customer.subscription.updated', old);
    assert.equal(late.status, 200);
    assert.equal((await tenant()).planId, 'pro', "Stripe's current state wins over the event's copy");
  });

  it('pauses sending when Stripe gives up collecting, and resumes when paid', async () => {
    await stripe.updateSubscription(subscriptionId, { status: 'past_due' });
    assert.equal((await tenant()).status, 'active', 'Stripe is still retrying the card');
    await stripe.updateSubscription(subscriptionId, { status: 'unpaid' });
    const paused = await tenant();
    assert.deepEqual([paused.status, paused.statusReason, paused.planId], ['paused', BILLING_PAUSE_REASON, 'pro']);
    await stripe.updateSubscription(subscriptionId, { status: 'active' });
    assert.equal((await tenant()).status, 'active');
  });

  it("never lifts an operator's suspension", async () => {
    await app.prisma.tenant.update({ where: { id: owner.tenantId }, data: { status: 'suspended', statusReason: 'abuse report 4711' } });
    for (const status of ['unpaid', 'active'] as const) {
      await stripe.updateSubscription(subscriptionId, { status });
      const held = await tenant();
      assert.deepEqual([held.status, held.statusReason], ['suspended', 'abuse report 4711'], status);
    }
    await app.prisma.tenant.update({ where: { id: owner.tenantId }, data: { status: 'active', statusReason: null } });
  });

  it('returns the tenant to the free plan when the subscription ends', async () => {
    await stripe.cancelSubscription(subscriptionId);
    assert.deepEqual(lastDeliveries(1), [['customer.subscription.deleted', 200]]);
    assert.equal((await tenant()).planId, 'free');
    assert.equal((await asOwner('GET', '/v1/billing')).body.subscription.status, 'canceled');
  });

  it("acknowledges events for customers that are not tenants, and changes nothing", async () => {
    const stranger = await new Stripe(secretKey, { host: stripe.host, port: stripe.port, protocol: 'http' }).customers.create({ email: 'x@example.test' });
    const sub = { ...structuredClone(stripe.subscriptions.get(subscriptionId)!), id: 'sub_stranger', customer: stranger.id, status: 'active' as const };
    stripe.subscriptions.set(sub.id, sub);
    assert.equal((await stripe.sendEvent('customer.subscription.updated', sub)).status, 200);
    assert.equal((await tenant()).planId, 'free');
  });

  it('answers 503 while Stripe cannot be reached, so Stripe retries the event', async () => {
    const payload = JSON.stringify({ ...stripe.deliveries.at(-1)!.event, id: 'evt_during_outage' });
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret });
    await stripe.close();
    assert.equal((await postEvent(payload, signature)).status, 503);
    assert.equal(await app.prisma.stripeWebhookEvent.count({ where: { id: 'evt_during_outage' } }), 0);
    const checkout = await httpClient(app.url, (await createTenantFixture(app.prisma)).auth)('POST', '/v1/billing/checkout', { planId: 'starter' });
    assert.equal(checkout.status, 503);
    assert.match(checkout.body.error.message, /^Stripe: /);
  });

  async function postEvent(payload: string, signature: string | undefined) {
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (signature) headers['stripe-signature'] = signature;
    const response = await fetch(`${app.url}/v1/billing/stripe-webhook`, { method: 'POST', headers, body: payload });
    return { status: response.status, body: (await response.json()) as any };
  }
});

describe('billing on an installation without Stripe', () => {
  let app: TestApp;
  before(async () => (app = await startTestApp()));
  after(() => app.close());

  it('shows the plans as not for sale and refuses checkout and webhooks with 503', async () => {
    const asOwner = httpClient(app.url, (await createTenantFixture(app.prisma)).auth);
    const billing = (await asOwner('GET', '/v1/billing')).body;
    assert.equal(billing.enabled, false);
    assert.ok(billing.plans.every((p: { purchasable: boolean }) => !p.purchasable));
    assert.equal((await asOwner('POST', '/v1/billing/checkout', { planId: 'starter' })).status, 503);
    const webhook = await fetch(`${app.url}/v1/billing/stripe-webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=x' }, body: '{}' });
    assert.equal(webhook.status, 503);
  });
});
