import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '@smarthost/config';
import { srsKeyOf } from '../delivery/delivery-config';
import { loadRelayConfig } from './relay-config';
import { returnPathKeyring } from './reports-config';

const valid = {
  API_URL: 'http://127.0.0.1:3000',
  RELAY_NODE_TOKEN: 'node-token-0123456789',
  RETURN_PATH_KEY: '5e'.repeat(32),
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
    assert.equal(config.CLIENT_IPV6_PREFIX, 64);
    assert.equal(config.CLIENT_MAX_CONNECTIONS, 50);
    assert.equal(config.SMTP_DATA_MIN_BYTES_PER_SECOND, 500);
  });

  it('names a bad admission limit', () => {
    assert.throws(() => loadRelayConfig({ ...valid, CLIENT_IPV4_PREFIX: '33', UNAUTHENTICATED_SHARE: '0' }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /CLIENT_IPV4_PREFIX/);
      assert.match(error.message, /UNAUTHENTICATED_SHARE/);
      return true;
    });
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

  it('builds the return-path keyring, a previous key only with its id and the end of its overlap', () => {
    const config = loadRelayConfig(valid);
    assert.deepEqual(returnPathKeyring(config), { current: { id: '1', secret: Buffer.alloc(32, 0x5e) }, previous: null });
    const rotated = loadRelayConfig({
      ...valid,
      RETURN_PATH_KEY_ID: '2',
      RETURN_PATH_PREVIOUS_KEY: '6f'.repeat(32),
      RETURN_PATH_PREVIOUS_KEY_ID: '1',
      RETURN_PATH_PREVIOUS_KEY_UNTIL: '2027-01-15T00:00:00Z',
    });
    assert.deepEqual(returnPathKeyring(rotated).previous, { id: '1', secret: Buffer.alloc(32, 0x6f), until: Date.parse('2027-01-15T00:00:00Z') });
    assert.throws(() => loadRelayConfig({ ...valid, RETURN_PATH_PREVIOUS_KEY: '6f'.repeat(32) }), /set all three or none/);
    assert.throws(
      () => loadRelayConfig({ ...valid, RETURN_PATH_PREVIOUS_KEY: '6f'.repeat(32), RETURN_PATH_PREVIOUS_KEY_ID: '1', RETURN_PATH_PREVIOUS_KEY_UNTIL: '2027-01-15T00:00:00Z' }),
      /must differ from RETURN_PATH_KEY_ID/,
    );
  });

  it('requires the return-path key and never echoes it', () => {
    const { RETURN_PATH_KEY: _key, ...withoutKey } = valid;
    assert.throws(() => loadRelayConfig(withoutKey), /RETURN_PATH_KEY/);
    assert.throws(() => loadRelayConfig({ ...valid, RETURN_PATH_KEY: 'too-short-secret' }), (error: unknown) => {
      assert.ok(error instanceof ConfigError && /RETURN_PATH_KEY: must be 32 bytes/.test(error.message));
      return !error.message.includes('too-short-secret');
    });
  });

  it('reads the feedback-loop providers and the report limits, with production defaults', () => {
    const config = loadRelayConfig(valid);
    assert.deepEqual([config.FEEDBACK_PROVIDER_DOMAINS, config.REPORT_MAX_BYTES, config.REPORT_DKIM_TIMEOUT_SECONDS], [[], 262144, 10]);
    assert.deepEqual(loadRelayConfig({ ...valid, FEEDBACK_PROVIDER_DOMAINS: 'FBL.Provider.Example., bücher.example' }).FEEDBACK_PROVIDER_DOMAINS, [
      'fbl.provider.example',
      'xn--bcher-kva.example',
    ]);
    assert.throws(() => loadRelayConfig({ ...valid, FEEDBACK_PROVIDER_DOMAINS: 'provider.example,not a domain' }), /FEEDBACK_PROVIDER_DOMAINS.*"not"/);
  });

  it('defaults port-25 authentication, SRS and ARC to the relay host name, and one SRS key for every node of a deployment', () => {
    const config = loadRelayConfig(valid);
    assert.deepEqual(
      [config.AUTHSERV_ID, config.ARC_DOMAIN, config.ARC_SELECTOR, config.SRS_DOMAIN, config.SRS_MAX_AGE_DAYS, config.INBOUND_AUTH_DNS_DEADLINE_MS],
      ['', '', 'arc', '', 21, 8000],
    );
    assert.deepEqual(srsKeyOf({ ...config, SRS_SECRET: 'shared-srs-secret-0123' }), { secret: 'shared-srs-secret-0123', domain: 'relay.smarthost.local', maxAgeDays: 21 });
    assert.notEqual(srsKeyOf(config).secret, valid.RELAY_NODE_TOKEN, 'a derived key, not the token itself');
  });

  it('names a short SRS secret without echoing it, and a bad SRS age or authserv-id', () => {
    assert.throws(
      () => loadRelayConfig({ ...valid, SRS_SECRET: 'short-srs', SRS_MAX_AGE_DAYS: '0', AUTHSERV_ID: 'relay example' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        for (const name of ['SRS_SECRET', 'SRS_MAX_AGE_DAYS', 'AUTHSERV_ID']) assert.match(error.message, new RegExp(name));
        assert.ok(!error.message.includes('short-srs'));
        return true;
      },
    );
  });

  it('refuses a certificate without its key', () => {
    assert.throws(() => loadRelayConfig({ ...valid, TLS_CERT_FILE: '/etc/cert.pem' }), /TLS_CERT_FILE\/TLS_KEY_FILE/);
  });
});
