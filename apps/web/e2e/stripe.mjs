// Billing against a local stand-in for Stripe: the API's Stripe SDK calls it, the browser is sent to its hosted
// Checkout page, and it posts signed webhooks back to the API, so the whole payment loop runs on loopback.
import { randomBytes } from 'node:crypto';

/** The prices STRIPE_PRICES sells the seeded plans at; amounts as in the seed (apps/api/src/seed/plans.ts). */
const PRICES = [
  { id: 'price_starter', unitAmount: 1_500, currency: 'usd' },
  { id: 'price_pro', unitAmount: 7_500, currency: 'usd' },
];

/**
 * Starts the fake Stripe and returns it with the API environment that bills through it. The webhook URL is set
 * once the stack's API has its port (`stripe.setWebhookUrl`).
 */
export async function fakeStripeForApi(startFakeStripe) {
  const secretKey = `sk_test_${randomBytes(16).toString('hex')}`;
  const webhookSecret = `whsec_${randomBytes(24).toString('hex')}`;
  const stripe = await startFakeStripe({ secretKey, webhookSecret, prices: PRICES });
  const apiEnv = {
    STRIPE_SECRET_KEY: secretKey,
    STRIPE_WEBHOOK_SECRET: webhookSecret,
    STRIPE_API_URL: stripe.url,
    STRIPE_PRICES: 'starter=price_starter,pro=price_pro',
  };
  return { stripe, apiEnv };
}
