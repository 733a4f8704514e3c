import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseForm } from './form-body';

describe('parseForm', () => {
  const cases: [string, string, unknown][] = [
    ['flat fields', 'mode=subscription&customer=cus_1', { mode: 'subscription', customer: 'cus_1' }],
    ['nested objects', 'subscription_data[metadata][tenantId]=t1', { subscription_data: { metadata: { tenantId: 't1' } } }],
    [
      'numeric indexes as arrays',
      'line_items[0][price]=price_a&line_items[0][quantity]=1&line_items[1][price]=price_b',
      { line_items: [{ price: 'price_a', quantity: '1' }, { price: 'price_b' }] },
    ],
    ['empty brackets append', 'expand[]=customer&expand[]=subscription', { expand: ['customer', 'subscription'] }],
    ['percent-encoding in keys and values', 'metadata%5Bnote%5D=a%20b%26c', { metadata: { note: 'a b&c' } }],
    ['prototype keys ignored', '__proto__[polluted]=yes&a[constructor][x]=1&ok=1', { ok: '1' }],
  ];
  for (const [name, body, expected] of cases) {
    it(name, () => assert.deepEqual(parseForm(body), expected));
  }

  it('leaves Object.prototype alone', () => {
    parseForm('__proto__[polluted]=yes');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
