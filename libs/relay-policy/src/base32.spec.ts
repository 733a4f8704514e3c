import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toBase32 } from './base32';

describe('toBase32', () => {
  it('encodes 5 bits per character, most significant first (RFC 4648 §6 test vectors, lower case)', () => {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
    assert.equal(toBase32(Buffer.from('f'), alphabet, 2), 'm', 'whole 5-bit groups only: no padding of a last partial one');
    assert.equal(toBase32(Buffer.from('fooba'), alphabet, 8), 'mzxw6ytb');
    assert.equal(toBase32(Buffer.from('foobar'), alphabet, 8), 'mzxw6ytb', 'stops at the length asked for');
  });
});
