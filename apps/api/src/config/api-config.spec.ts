import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { loadApiConfig } from './api-config';

const base = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/x',
  SESSION_SECRET: randomBytes(32).toString('hex'),
  DKIM_MASTER_KEY: randomBytes(32).toString('hex'),
};

describe('API config: billing', () => {
  it('is off without a Stripe key, with no plan for sale', () => {
    const config = loadApiConfig(base);
    assert.equal(config.STRIPE_SECRET_KEY, undefined);
    assert.deepEqual(config.STRIPE_PRICES, {});
  });

  it('reads the price of each plan', () => {
    const config = loadApiConfig({ ...base, STRIPE_SECRET_KEY: 'sk_test_abc', STRIPE_PRICES: ' starter=price_1Abc , pro=price_2Def' });
    assert.deepEqual(config.STRIPE_PRICES, { starter: 'price_1Abc', pro: 'price_2Def' });
  });

  it('names the variable and the entry that is wrong', () => {
    assert.throws(() => loadApiConfig({ ...base, STRIPE_PRICES: 'starter=price_1,pro:price_2' }), /STRIPE_PRICES: "pro:price_2" is not plan=price_…/);
    assert.throws(() => loadApiConfig({ ...base, STRIPE_SECRET_KEY: 'pk_live_abc' }), /STRIPE_SECRET_KEY: must be a Stripe secret key/);
    assert.throws(() => loadApiConfig({ ...base, STRIPE_WEBHOOK_SECRET: 'secret' }), /STRIPE_WEBHOOK_SECRET: must be a webhook signing secret/);
  });
});
