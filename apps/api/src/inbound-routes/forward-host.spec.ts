import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkForwardHost } from './forward-host';

const production = { relayHostname: 'relay.smarthost.example', allowLoopback: false };
const test = { ...production, allowLoopback: true };

describe('checkForwardHost', () => {
  it('accepts host names and public unicast addresses, normalised', () => {
    assert.deepEqual(checkForwardHost('MX1.Example.COM.', production), { ok: true, host: 'mx1.example.com' });
    assert.deepEqual(checkForwardHost('8.8.8.8', production), { ok: true, host: '8.8.8.8' });
    assert.deepEqual(checkForwardHost('[2001:4860:4860:0::8888]', production), { ok: true, host: '2001:4860:4860::8888' });
    assert.deepEqual(checkForwardHost('::ffff:8.8.4.4', production), { ok: true, host: '8.8.4.4' });
  });

  it('refuses loopback in production and allows it only when told to (tests)', () => {
    for (const host of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      assert.equal(checkForwardHost(host, production).ok, false, host);
      assert.equal(checkForwardHost(host, test).ok, true, host);
    }
  });

  it('refuses internal, reserved and ambiguous targets even in tests', () => {
    const refused = ['10.0.0.1', '172.31.255.255', '192.168.0.1', '100.64.0.1', '169.254.169.254', '0.0.0.0', '255.255.255.255',
      '224.0.0.1', 'fc00::1', 'fe80::1', '::', '192.0.2.1', '127.1', '0x7f000001', 'localhost', 'relay.smarthost.example', 'a b.example'];
    for (const host of refused) assert.equal(checkForwardHost(host, test).ok, false, host);
  });
});
