import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkForwardAddress } from './forward-target';

describe('checkForwardAddress', () => {
  const cases: [string, boolean, string][] = [
    ['8.8.8.8', false, 'ok'],
    ['2001:4860:4860::8888', false, 'ok'],
    ['10.0.0.1', false, 'private'],
    ['::ffff:10.0.0.1', false, 'private'],
    ['::ffff:8.8.4.4', false, 'ok'],
    ['169.254.169.254', false, 'linkLocal'],
    ['fe80::1', false, 'linkLocal'],
    ['fd00::1', false, 'uniqueLocal'],
    ['127.0.0.1', false, 'loopback'],
    ['127.0.0.1', true, 'ok'],
    ['::1', true, 'ok'],
    ['0.0.0.0', true, 'unspecified'],
    ['224.0.0.1', false, 'multicast'],
    ['100.64.0.1', false, 'carrierGradeNat'],
    ['203.0.113.9', false, 'reserved'],
    ['mx.example.com', false, 'invalid'],
  ];
  for (const [address, allowLoopback, expected] of cases) {
    it(`${address}${allowLoopback ? ' (loopback allowed)' : ''}: ${expected}`, () => {
      const decision = checkForwardAddress(address, allowLoopback);
      assert.equal(decision.ok ? 'ok' : decision.range, expected);
    });
  }

  it('gives a mapped IPv6 address back as the IPv4 address it carries', () => {
    assert.deepEqual(checkForwardAddress('::ffff:8.8.4.4', false), { ok: true, address: '8.8.4.4' });
  });
});
