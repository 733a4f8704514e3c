import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '@smarthost/config';
import { loadRelayConfig } from './relay-config';

const valid = {
  API_URL: 'http://127.0.0.1:3000',
  RELAY_NODE_TOKEN: 'node-token-0123456789',
  REDIS_URL: 'redis://127.0.0.1:6379',
};

describe('loadRelayConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadRelayConfig(valid);
    assert.equal(config.RELAY_ROLE, 'all');
    assert.equal(config.SUBMISSION_PORT, 2587);
    assert.equal(config.SUBMISSIONS_PORT, 2465);
    assert.equal(config.INBOUND_PORT, 2525);
    assert.equal(config.HEALTH_PORT, 2580);
    assert.equal(config.POLICY_MAX_STALENESS_SECONDS, 3600);
  });

  it('names each bad variable and never echoes the node token', () => {
    assert.throws(
      () => loadRelayConfig({ ...valid, RELAY_ROLE: 'mta', REDIS_URL: 'http://x', RELAY_NODE_TOKEN: 'short-secret' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /RELAY_ROLE/);
        assert.match(error.message, /REDIS_URL/);
        assert.match(error.message, /RELAY_NODE_TOKEN/);
        assert.ok(!error.message.includes('short-secret'));
        return true;
      },
    );
  });

  it('reads the public addresses a node reports, and names a bad one', () => {
    assert.deepEqual(loadRelayConfig(valid).RELAY_PUBLIC_IPS, []);
    assert.deepEqual(loadRelayConfig({ ...valid, RELAY_PUBLIC_IPS: '198.51.100.7, 2001:db8::7' }).RELAY_PUBLIC_IPS, ['198.51.100.7', '2001:db8::7']);
    assert.throws(() => loadRelayConfig({ ...valid, RELAY_PUBLIC_IPS: '198.51.100.7,relay.example' }), /RELAY_PUBLIC_IPS.*"relay.example" is not an IP address/);
  });

  it('refuses a certificate without its key', () => {
    assert.throws(() => loadRelayConfig({ ...valid, TLS_CERT_FILE: '/etc/cert.pem' }), /TLS_CERT_FILE\/TLS_KEY_FILE/);
  });
});
