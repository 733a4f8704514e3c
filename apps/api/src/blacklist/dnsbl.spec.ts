import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { interpret, queryName } from './dnsbl';

describe('queryName', () => {
  it('reverses the octets of an IPv4 address (RFC 5782 §2.1)', () => {
    assert.equal(queryName('ip', '192.0.2.10', 'zen.spamhaus.org'), '10.2.0.192.zen.spamhaus.org');
  });

  it('reverses the 32 nibbles of an IPv6 address (RFC 5782 §2.4)', () => {
    assert.equal(
      queryName('ip', '2001:db8:1:2::7', 'bl.test'),
      '7.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.bl.test',
    );
  });

  it('asks for an IPv4-mapped IPv6 address as the IPv4 address', () => {
    assert.equal(queryName('ip', '::ffff:192.0.2.10', 'bl.test'), '10.2.0.192.bl.test');
  });

  it('puts a domain under the zone as it is', () => {
    assert.equal(queryName('domain', 'example.com', 'dbl.spamhaus.org'), 'example.com.dbl.spamhaus.org');
  });
});

describe('interpret', () => {
  it('reads answers in 127.0.0.0/8 as a listing', () => {
    assert.equal(interpret(['127.0.0.2']), 'listed');
    assert.equal(interpret(['127.0.0.4', '127.0.0.10']), 'listed');
    assert.equal(interpret(['127.0.1.2']), 'listed');
  });

  it('reads no answer as clean', () => {
    assert.equal(interpret([]), 'clean');
  });

  for (const code of ['127.255.255.252', '127.255.255.254', '127.255.255.255', '127.0.1.255']) {
    it(`reads the Spamhaus refusal ${code} as an error, not a listing`, () => {
      assert.equal(interpret([code]), 'error');
      assert.equal(interpret(['127.0.0.2', code]), 'error');
    });
  }

  it('reads an answer outside 127.0.0.0/8 (a resolver rewriting NXDOMAIN) as an error', () => {
    assert.equal(interpret(['198.51.100.1']), 'error');
    assert.equal(interpret(['127.0.0.2', '198.51.100.1']), 'error');
    assert.equal(interpret(['::1']), 'error');
  });
});
