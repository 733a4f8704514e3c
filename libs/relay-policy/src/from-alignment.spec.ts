import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkFromAlignment } from './from-alignment';
import { parseFromHeader } from './from-header';

describe('parseFromHeader', () => {
  const readable: [string, string][] = [
    ['user@example.com', 'user@example.com'],
    ['<user@example.com>', 'user@example.com'],
    ['Jane Doe <Jane@Example.com>', 'jane@example.com'],
    ['"Doe, Jane" <jane@example.com>', 'jane@example.com'],
    ['"Jane <jane@evil.example>" <jane@example.com>', 'jane@example.com'],
    ['=?utf-8?q?J=C3=A4ne?= <jane@example.com>', 'jane@example.com'],
    ['Jane (the boss) <jane@example.com>', 'jane@example.com'],
    ['jane@example.com (Jane)', 'jane@example.com'],
    ['Jane\r\n <jane@example.com>', 'jane@example.com'],
    ['Jäne <jane@bücher.example>', 'jane@xn--bcher-kva.example'],
  ];
  for (const [value, address] of readable) {
    it(`reads ${JSON.stringify(value)}`, () => {
      const result = parseFromHeader(value);
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.address.normalized, address);
    });
  }

  const refused: [string, string][] = [
    ['', 'empty'],
    ['a@example.com, b@example.com', 'multiple-addresses'],
    ['A <a@example.com>, B <b@example.com>', 'multiple-addresses'],
    ['Team: a@example.com;', 'group-syntax'],
    ['jane@evil.example <jane@example.com>', 'unparsable'],
    ['<jane@example.com> jane@evil.example', 'unparsable'],
    ['<a@example.com> <b@example.com>', 'unbalanced'],
    ['Jane <jane@example.com', 'unbalanced'],
    ['Jane "unterminated <jane@example.com>', 'unbalanced'],
    ['<"jane"@example.com>', 'quoted-local-part'],
    ['"jane"@example.com', 'quoted-local-part'],
    ['<jane(c)@example.com>', 'unparsable'],
    ['<@relay.example:jane@example.com>', 'group-syntax'],
    ['jane@example.com\r\nBcc: x@evil.example', 'unparsable'],
    ['<jane@[192.0.2.1]>', 'ip-literal'],
    ['<>', 'empty'],
  ];
  for (const [value, reason] of refused) {
    it(`refuses ${JSON.stringify(value)} (${reason})`, () => {
      assert.deepEqual(parseFromHeader(value), { ok: false, reason });
    });
  }
});

describe('checkFromAlignment', () => {
  const owned = new Set(['example.com', 'bounces.example.com']);
  const table: [string, string, string][] = [
    ['example.com', 'Jane <jane@example.com>', 'ok'],
    ['Example.COM.', 'jane@EXAMPLE.com', 'ok'],
    ['example.com', 'jane@news.example.com', 'ok'],
    ['bücher.example', 'jane@xn--bcher-kva.example', 'ok'],
    // Parent of the envelope domain: aligned only because the tenant owns example.com too.
    ['bounces.example.com', 'jane@example.com', 'ok'],
    ['mail.bigcorp.example', 'ceo@bigcorp.example', 'from_misaligned'],
    ['example.com', 'jane@example.com.evil.example', 'from_misaligned'],
    ['example.com', 'jane@badexample.com', 'from_misaligned'],
    ['example.com', 'jane@other.example', 'from_misaligned'],
    ['example.com', 'a@example.com, b@other.example', 'from_misaligned'],
    ['example.com', 'not an address', 'from_misaligned'],
    ['not a domain', 'jane@example.com', 'from_misaligned'],
  ];
  for (const [envelope, header, expected] of table) {
    it(`envelope ${envelope}, From ${JSON.stringify(header)} → ${expected}`, () => {
      const result = checkFromAlignment(envelope, header, (domain) => owned.has(domain));
      assert.equal(result.ok ? 'ok' : result.refusal, expected);
    });
  }

  it('refuses a parent domain when no ownership check is given', () => {
    const result = checkFromAlignment('bounces.example.com', 'jane@example.com');
    assert.equal(result.ok ? 'ok' : result.refusal, 'from_misaligned');
  });

  it('says why an unreadable header was refused', () => {
    assert.deepEqual(checkFromAlignment('example.com', 'a@example.com, b@example.com'), {
      ok: false,
      refusal: 'from_misaligned',
      detail: 'From header multiple-addresses',
    });
  });
});
