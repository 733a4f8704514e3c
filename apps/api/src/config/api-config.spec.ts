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

describe('API config: public SMTP settings', () => {
  it('defaults to the standard submission ports on RELAY_HOSTNAME with a trusted certificate', () => {
    const config = loadApiConfig(base);
    assert.equal(config.SMTP_PUBLIC_HOST, '');
    assert.deepEqual(config.SMTP_PUBLIC_PORTS, [
      { port: 587, security: 'starttls' },
      { port: 465, security: 'tls' },
    ]);
    assert.equal(config.SMTP_TLS_CERTIFICATE, 'trusted');
  });

  it('reads the ports a stack really listens on, in the order given', () => {
    const config = loadApiConfig({ ...base, SMTP_PUBLIC_PORTS: '2465/tls, 2587/starttls', SMTP_TLS_CERTIFICATE: 'self-signed' });
    assert.deepEqual(config.SMTP_PUBLIC_PORTS, [
      { port: 2465, security: 'tls' },
      { port: 2587, security: 'starttls' },
    ]);
    assert.equal(config.SMTP_TLS_CERTIFICATE, 'self-signed');
  });

  it('names the variable and the entry that is wrong', () => {
    assert.throws(() => loadApiConfig({ ...base, SMTP_PUBLIC_PORTS: '587/starttls,465:ssl' }), /SMTP_PUBLIC_PORTS: "465:ssl" is not port\/starttls or port\/tls/);
    assert.throws(() => loadApiConfig({ ...base, SMTP_PUBLIC_PORTS: '70000/tls' }), /SMTP_PUBLIC_PORTS: "70000\/tls"/);
    assert.throws(() => loadApiConfig({ ...base, SMTP_PUBLIC_PORTS: ' , ' }), /SMTP_PUBLIC_PORTS: name at least one port/);
    assert.throws(() => loadApiConfig({ ...base, SMTP_TLS_CERTIFICATE: 'none' }), /SMTP_TLS_CERTIFICATE/);
  });
});
