import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { secretDigest, verifySecret } from './secrets';

describe('secrets', () => {
  it('digests with SHA-256 as lowercase hex', () => {
    // FIPS 180-2 test vector for "abc".
    assert.equal(secretDigest('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('verifies the right secret only', () => {
    const digest = secretDigest('s3cret-0123456789abcdef');
    assert.equal(verifySecret('s3cret-0123456789abcdef', digest), true);
    assert.equal(verifySecret('s3cret-0123456789abcdeF', digest), false);
    assert.equal(verifySecret('', digest), false);
  });

  it('refuses malformed digests instead of throwing', () => {
    assert.equal(verifySecret('abc', ''), false);
    assert.equal(verifySecret('abc', 'ba7816bf'), false);
    assert.equal(verifySecret('abc', secretDigest('abc').toUpperCase()), false);
    assert.equal(verifySecret('abc', `${secretDigest('abc')}00`), false);
  });
});
