import Stripe from 'stripe';
import type { ApiConfig } from '../config/api-config';

export const STRIPE = Symbol('STRIPE');

/**
 * The Stripe client, or null when billing is off. No automatic retries: every call is made inside a request or a
 * webhook that Stripe itself retries, so a failure is reported at once instead of holding the caller.
 */
export function createStripeClient(config: ApiConfig): Stripe | null {
  if (!config.STRIPE_SECRET_KEY) return null;
  const options: ConstructorParameters<typeof Stripe>[1] = { maxNetworkRetries: 0, timeout: 10_000, appInfo: { name: 'smarthost' } };
  if (config.STRIPE_API_URL) {
    const url = new URL(config.STRIPE_API_URL);
    options.protocol = url.protocol === 'http:' ? 'http' : 'https';
    options.host = url.hostname;
    options.port = url.port || (url.protocol === 'http:' ? 80 : 443);
  }
  return new Stripe(config.STRIPE_SECRET_KEY, options);
}
