import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { loadApiConfig } from '../config/api-config';

const base = { DATABASE_URL: 'postgres://x@127.0.0.1/x', SESSION_SECRET: randomBytes(32).toString('hex'), DKIM_MASTER_KEY: randomBytes(32).toString('hex') };

describe('blocklist config', () => {
  it('defaults to Spamhaus, SpamCop and Barracuda for IPs, the Spamhaus DBL for domains, hourly', () => {
    const config = loadApiConfig(base);
    assert.deepEqual(config.DNSBL_IP_ZONES, ['zen.spamhaus.org', 'bl.spamcop.net', 'b.barracudacentral.org']);
    assert.deepEqual(config.DNSBL_DOMAIN_ZONES, ['dbl.spamhaus.org']);
    assert.equal(config.BLACKLIST_CHECK_INTERVAL_SECONDS, 3600);
  });

  it('reads comma-separated zones in the form they are queried, and empty as none', () => {
    const config = loadApiConfig({ ...base, DNSBL_IP_ZONES: ' BL.Test. , two.example ', DNSBL_DOMAIN_ZONES: '' });
    assert.deepEqual(config.DNSBL_IP_ZONES, ['bl.test', 'two.example']);
    assert.deepEqual(config.DNSBL_DOMAIN_ZONES, []);
  });

  it('names the variable and the zone that is not a host name', () => {
    assert.throws(() => loadApiConfig({ ...base, DNSBL_IP_ZONES: 'zen.spamhaus.org,bad zone' }), /DNSBL_IP_ZONES: not a host name: "bad zone"/);
    assert.throws(() => loadApiConfig({ ...base, DNSBL_DOMAIN_ZONES: 'http://dbl.example/' }), /DNSBL_DOMAIN_ZONES: not a host name/);
  });

  it('refuses a sweep interval under a minute', () => {
    assert.throws(() => loadApiConfig({ ...base, BLACKLIST_CHECK_INTERVAL_SECONDS: '59' }), /BLACKLIST_CHECK_INTERVAL_SECONDS/);
  });
});
