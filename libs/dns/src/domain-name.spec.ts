import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeDomain } from './domain-name';

describe('normalizeDomain', () => {
  const accepted: [string, string][] = [
    ['Example.COM', 'example.com'],
    ['  example.com.  ', 'example.com'],
    ['mail.example.co.uk', 'mail.example.co.uk'],
    ['Bücher.de', 'xn--bcher-kva.de'],
    ['XN--BCHER-KVA.DE', 'xn--bcher-kva.de'],
    ['ｅｘａｍｐｌｅ．com', 'example.com'],
    ['3com.com', '3com.com'],
    ['a-b.example', 'a-b.example'],
    [`${'a'.repeat(63)}.com`, `${'a'.repeat(63)}.com`],
  ];
  for (const [input, domain] of accepted) {
    it(`accepts ${JSON.stringify(input)} as ${domain}`, () => {
      const result = normalizeDomain(input);
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.domain, domain);
    });
  }

  it('gives the Unicode form for display', () => {
    assert.deepEqual(normalizeDomain('xn--bcher-kva.de'), { ok: true, domain: 'xn--bcher-kva.de', unicode: 'bücher.de' });
  });

  const refused: [string, string][] = [
    ['', 'empty'],
    ['   ', 'empty'],
    ['.', 'empty'],
    ['user@example.com', 'invalid-character'],
    ['exa%41mple.com', 'invalid-character'],
    ['example.com/path', 'invalid-character'],
    ['a_b.example.com', 'invalid-character'],
    ['ex ample.com', 'invalid-character'],
    ['[::1]', 'invalid-character'],
    ['example.com:25', 'invalid-character'],
    ['xn--zz.com', 'invalid-idn'],
    ['a..b.com', 'empty-label'],
    ['example.com..', 'empty-label'],
    ['-a.com', 'invalid-label'],
    ['a-.com', 'invalid-label'],
    [`${'a'.repeat(64)}.com`, 'label-too-long'],
    [`${'a.'.repeat(126)}com`, 'too-long'],
    ['localhost', 'single-label'],
    ['com', 'single-label'],
    ['1.2.3.4', 'numeric-tld'],
    ['example.123', 'numeric-tld'],
    ['0x7f.1', 'numeric-tld'],
    ['example.0x1f.', 'numeric-tld'],
  ];
  for (const [input, reason] of refused) {
    it(`refuses ${JSON.stringify(input)} as ${reason}`, () => {
      assert.deepEqual(normalizeDomain(input), { ok: false, reason });
    });
  }

  it('accepts the longest legal name (253 characters)', () => {
    const name = `${'a'.repeat(61)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}`;
    assert.equal(name.length, 253);
    assert.equal(normalizeDomain(name).ok, true);
  });
});
