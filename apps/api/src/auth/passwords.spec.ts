import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { burnPasswordCheck, email, hashPassword, newPassword, verifyPassword } from './passwords';

describe('passwords', () => {
  it('hashes with argon2id and verifies only the same password', async () => {
    const stored = await hashPassword('correct horse battery');
    assert.match(stored, /^\$argon2id\$/);
    assert.equal(await verifyPassword(stored, 'correct horse battery'), true);
    assert.equal(await verifyPassword(stored, 'correct horse batterx'), false);
  });

  it('treats a malformed stored hash as a mismatch', async () => {
    assert.equal(await verifyPassword('not-a-login', 'anything at all'), false);
    assert.equal(await burnPasswordCheck('anything at all'), false);
  });

  it('accepts 12 to 256 characters that are not one repeated character', () => {
    assert.equal(newPassword.safeParse('abcdefghijkl').success, true);
    assert.equal(newPassword.safeParse('abcdefghijk').success, false);
    assert.equal(newPassword.safeParse('aaaaaaaaaaaaaaaa').success, false);
    assert.equal(newPassword.safeParse('ab'.repeat(128)).success, true);
    assert.equal(newPassword.safeParse('ab'.repeat(128) + 'c').success, false);
  });

  it('normalises emails to lowercase without surrounding space', () => {
    assert.equal(email.parse('  Ann@Example.TEST '), 'ann@example.test');
    assert.equal(email.safeParse('not-an-email').success, false);
  });
});
