import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ipInRanges, parseIpRange, type IpRange } from './ip-allowlist';

function ranges(...entries: string[]): IpRange[] {
  return entries.map((entry) => {
    const range = parseIpRange(entry);
    assert.ok(range, entry);
    return range;
  });
}

describe('parseIpRange', () => {
  for (const valid of ['10.0.0.0/8', '192.0.2.7', '0.0.0.0/0', '2001:db8::/32', '::1', '::ffff:10.0.0.0/104']) {
    it(`accepts ${valid}`, () => assert.ok(parseIpRange(valid)));
  }
  for (const invalid of ['10.1/8', '0x0a.0.0.0/8', '010.0.0.0/8', '256.0.0.0/8', '10.0.0.0/33', '2001:db8::/129', 'example.com', '', '10.0.0.0/', '1.2.3.4/8/8', 'fe80::1%eth0']) {
    it(`refuses ${JSON.stringify(invalid)}`, () => assert.equal(parseIpRange(invalid), null));
  }
});

describe('ipInRanges', () => {
  const table: [string, string[], boolean][] = [
    ['10.1.2.3', ['10.0.0.0/8'], true],
    ['11.1.2.3', ['10.0.0.0/8'], false],
    ['192.0.2.7', ['192.0.2.7'], true],
    ['192.0.2.8', ['192.0.2.7'], false],
    ['::ffff:10.1.2.3', ['10.0.0.0/8'], true],
    ['::ffff:11.1.2.3', ['10.0.0.0/8'], false],
    ['10.1.2.3', ['::ffff:10.0.0.0/104'], true],
    ['2001:db8::5', ['2001:db8::/32'], true],
    ['2001:db9::5', ['2001:db8::/32'], false],
    ['10.1.2.3', ['2001:db8::/32'], false],
    ['127.0.0.1', ['10.0.0.0/8'], false],
    ['not-an-ip', ['0.0.0.0/0'], false],
    ['10.1', ['10.0.0.0/8'], false],
  ];
  for (const [ip, entries, expected] of table) {
    it(`${ip} in [${entries.join(', ')}] is ${expected}`, () => assert.equal(ipInRanges(ip, ranges(...entries)), expected));
  }
});
