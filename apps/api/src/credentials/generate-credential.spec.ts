import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generatePassword, generateUsername } from './generate-credential';

describe('generated SMTP credentials', () => {
  it('passwords are 32 letters and digits, safe to paste after a command-line option, and never repeat', () => {
    const passwords = Array.from({ length: 2000 }, generatePassword);
    for (const password of passwords) assert.match(password, /^[A-Za-z0-9]{32}$/);
    assert.equal(new Set(passwords).size, passwords.length);
  });

  it('passwords use the whole alphabet evenly (no modulo bias towards the first characters)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i += 1) for (const char of generatePassword()) counts.set(char, (counts.get(char) ?? 0) + 1);
    assert.equal(counts.size, 62);
    // 64,000 characters over 62: about 1,032 each; a bias of 4/256 toward 8 characters would show as ~1,290.
    for (const [char, count] of counts) assert.ok(count > 850 && count < 1220, `${char}: ${count}`);
  });

  it('usernames are smtp_ and 12 base32 characters', () => {
    assert.match(generateUsername(), /^smtp_[a-z2-7]{12}$/);
  });
});
