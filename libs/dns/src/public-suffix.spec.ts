import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPublicSuffix, registrableDomain } from './public-suffix';

describe('isPublicSuffix', () => {
  for (const name of ['com', 'co.uk', 'CO.UK.', 'org', 'xn--55qx5d.cn', '公司.cn', 'unknowntld']) {
    it(`${name} is a public suffix`, () => assert.equal(isPublicSuffix(name), true));
  }
  for (const name of ['example.com', 'example.co.uk', 'github.io', 'example.github.io', '1.2.3.4', '']) {
    it(`${JSON.stringify(name)} is not a public suffix`, () => assert.equal(isPublicSuffix(name), false));
  }
});

describe('registrableDomain', () => {
  const cases: [string, string | null][] = [
    ['mail.example.co.uk', 'example.co.uk'],
    ['Example.COM.', 'example.com'],
    ['a.b.c.example.org', 'example.org'],
    // ICANN section only: github.io is an ordinary domain under io.
    ['example.github.io', 'github.io'],
    ['mail.example.test', 'example.test'],
    ['co.uk', null],
    ['com', null],
    ['127.0.0.1', null],
    ['', null],
  ];
  for (const [name, expected] of cases) {
    it(`${JSON.stringify(name)} → ${expected}`, () => assert.equal(registrableDomain(name), expected));
  }
});
