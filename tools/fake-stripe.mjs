#!/usr/bin/env node
// The demo's Stripe: the testkit's fake Stripe API on loopback, so the API's billing code, the dashboard's
// Upgrade / Manage billing redirects and the webhooks work without reaching the internet. Run alone, it falls
// back to fixed test keys; the demo passes its own. With FAKE_STRIPE_STATE_FILE its customers and subscriptions
// outlive a restart, so a demo tenant that bought a plan can still open "Manage billing" the next day.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { startFakeStripe } = require('../libs/testkit/dist/index.js');

/** `starter=price_starter:1500,pro=price_pro:7500`: plan=priceId:unitAmountCents, all in usd. */
function parsePrices(spec) {
  return spec.split(',').map((entry) => {
    const match = /^(\w+)=(\w+):(\d+)$/.exec(entry.trim());
    if (!match) throw new Error(`STRIPE_PRICES: expected plan=priceId:unitAmountCents, got "${entry}"`);
    const [, plan, id, amount] = match;
    return { id, unitAmount: Number(amount), currency: 'usd', product: `prod_${plan}` };
  });
}

const prices = parsePrices(process.env.STRIPE_PRICES ?? 'starter=price_starter:1500,pro=price_pro:7500');
const webhookUrl = process.env.STRIPE_WEBHOOK_URL || undefined;
const fake = await startFakeStripe({
  port: Number(process.env.FAKE_STRIPE_PORT ?? 12111),
  secretKey: process.env.STRIPE_SECRET_KEY ?? 'sk_test_fake',
  webhookSecret: process.env.STRIPE_WEBHOOK_SECRET ?? 'whsec_fake',
  webhookUrl,
  prices,
});
const stateFile = process.env.FAKE_STRIPE_STATE_FILE;
if (stateFile && existsSync(stateFile)) {
  const state = JSON.parse(readFileSync(stateFile, 'utf8'));
  for (const customer of state.customers) fake.customers.set(customer.id, customer);
  for (const subscription of state.subscriptions) fake.subscriptions.set(subscription.id, subscription);
}
function saveState() {
  if (!stateFile) return;
  const state = { customers: [...fake.customers.values()], subscriptions: [...fake.subscriptions.values()] };
  writeFileSync(stateFile, JSON.stringify(state), { mode: 0o600 });
}

const priceIds = prices.map((price) => price.id).join(', ');
process.stdout.write(`fake Stripe listening on ${fake.url} (prices ${priceIds}; webhooks to ${webhookUrl ?? 'nowhere'})\n`);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    saveState();
    void fake.close().then(() => process.exit(0));
  });
}
