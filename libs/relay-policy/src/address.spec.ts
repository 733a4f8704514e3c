import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isNormalizedAddress, isNormalizedDomain, parseAddress, type AddressRefusalReason } from './address';

describe('parseAddress', () => {
  const accepted: [string, { local: string; domain: string; normalized: string }][] = [
    ['user@example.com', { local: 'user', domain: 'example.com', normalized: 'user@example.com' }],
    ['User.Name@Example.COM', { local: 'User.Name', domain: 'example.com', normalized: 'user.name@example.com' }],
    ['user@example.com.', { local: 'user', domain: 'example.com', normalized: 'user@example.com' }],
    ['user@bücher.example', { local: 'user', domain: 'xn--bcher-kva.example', normalized: 'user@xn--bcher-kva.example' }],
    ['user@BÜCHER.example', { local: 'user', domain: 'xn--bcher-kva.example', normalized: 'user@xn--bcher-kva.example' }],
    ["o'brien+tag@sub.example.co.uk", { local: "o'brien+tag", domain: 'sub.example.co.uk', normalized: "o'brien+tag@sub.example.co.uk" }],
    ['a@b-c.d1.example', { local: 'a', domain: 'b-c.d1.example', normalized: 'a@b-c.d1.example' }],
    [`${'a'.repeat(64)}@example.com`, { local: 'a'.repeat(64), domain: 'example.com', normalized: `${'a'.repeat(64)}@example.com` }],
  ];
  for (const [raw, expected] of accepted) {
    it(`accepts ${raw}`, () => {
      const result = parseAddress(raw);
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.address.local, expected.local);
      assert.equal(result.address.domain, expected.domain);
      assert.equal(result.address.normalized, expected.normalized);
      assert.equal(result.address.wire, `${expected.local}@${expected.domain}`);
    });
  }

  const refused: [string, AddressRefusalReason][] = [
    ['', 'empty'],
    ['user%other.com@ours.com', 'percent-hack'],
    ['other.com!user@ours.com', 'bang-path'],
    ['@ours.com:user@other.com', 'source-route'],
    ['@a,@b:user@c.example', 'source-route'],
    ['"user@other"@ours.com', 'quoted-local-part'],
    ['"user"@ours.com', 'quoted-local-part'],
    ['us"er@ours.com', 'quoted-local-part'],
    ['user@[127.0.0.1]', 'ip-literal'],
    ['user@[IPv6:::1]', 'ip-literal'],
    ['user@127.0.0.1', 'numeric-tld'],
    ['user@other.com@ours.com', 'multiple-at'],
    ['userours.com', 'missing-at'],
    ['@ours.com', 'source-route'],
    ['user@', 'empty-domain'],
    ['user@.', 'empty-domain'],
    ['user@localhost', 'domain-without-dot'],
    ['user@ours.com..', 'invalid-domain'],
    ['user@ours..com', 'invalid-domain'],
    ['user@-ours.com', 'invalid-domain'],
    ['user@ours-.com', 'invalid-domain'],
    ['user@our_s.com', 'invalid-domain'],
    ['user@ex%61mple.com', 'invalid-domain'],
    ['user@ours.com:25', 'invalid-domain'],
    ['user@ours.com>', 'invalid-domain'],
    ['user@xn--zz.example', 'invalid-domain'],
    ['user name@ours.com', 'control-or-space'],
    ['user@ours.com\r\nRCPT TO:<x@evil.example>', 'control-or-space'],
    ['user\u0000@ours.com', 'control-or-space'],
    ['user\u00a0@ours.com', 'control-or-space'],
    ['.user@ours.com', 'invalid-local-part'],
    ['user.@ours.com', 'invalid-local-part'],
    ['us..er@ours.com', 'invalid-local-part'],
    ['us(er)@ours.com', 'invalid-local-part'],
    ['us\\er@ours.com', 'invalid-local-part'],
    ['ü@ours.com', 'non-ascii-local-part'],
    [`${'a'.repeat(65)}@example.com`, 'local-part-too-long'],
    [`user@${'a'.repeat(64)}.com`, 'invalid-domain'],
    [`${'a'.repeat(60)}@${Array(4).fill('b'.repeat(60)).join('.')}.com`, 'too-long'],
    [`a@${Array(5).fill('b'.repeat(60)).join('.')}.com`, 'domain-too-long'],
  ];
  for (const [raw, reason] of refused) {
    it(`refuses ${JSON.stringify(raw)} (${reason})`, () => {
      assert.deepEqual(parseAddress(raw), { ok: false, reason });
    });
  }
});

describe('normalised forms', () => {
  it('recognises only the exact normalised spelling', () => {
    assert.equal(isNormalizedDomain('xn--bcher-kva.example'), true);
    assert.equal(isNormalizedDomain('bücher.example'), false);
    assert.equal(isNormalizedDomain('Example.com'), false);
    assert.equal(isNormalizedDomain('example.com.'), false);
    assert.equal(isNormalizedAddress('user@example.com'), true);
    assert.equal(isNormalizedAddress('User@example.com'), false);
  });
});
