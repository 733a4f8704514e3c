import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientGroup } from './client-group';

const defaults = { ipv4Prefix: 32, ipv6Prefix: 64 };

describe('clientGroup', () => {
  for (const [address, prefixes, group] of [
    ['192.0.2.7', defaults, '192.0.2.7/32'],
    ['::ffff:192.0.2.7', defaults, '192.0.2.7/32'],
    ['2001:db8:1:2:aaaa::1', defaults, '2001:db8:1:2::/64'],
    ['2001:db8:1:2:ffff:ffff:ffff:ffff', defaults, '2001:db8:1:2::/64'],
    ['2001:db8:1:3::1', defaults, '2001:db8:1:3::/64'],
    ['192.0.2.200', { ipv4Prefix: 24, ipv6Prefix: 48 }, '192.0.2.0/24'],
    ['2001:db8:1:ffff::1', { ipv4Prefix: 24, ipv6Prefix: 48 }, '2001:db8:1::/48'],
    ['not-an-address', defaults, '?not-an-address'],
  ] as const) {
    it(`${address} with /${prefixes.ipv4Prefix}, /${prefixes.ipv6Prefix} counts in ${group}`, () => {
      assert.equal(clientGroup(address, prefixes), group);
    });
  }
});
