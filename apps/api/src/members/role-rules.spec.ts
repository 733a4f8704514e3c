import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mayChangeMember, roleAtMost } from './role-rules';

describe('roleAtMost', () => {
  it('orders owner > admin > developer > viewer', () => {
    assert.equal(roleAtMost('viewer', 'developer'), true);
    assert.equal(roleAtMost('admin', 'admin'), true);
    assert.equal(roleAtMost('owner', 'admin'), false);
    assert.equal(roleAtMost('developer', 'viewer'), false);
  });
});

describe('mayChangeMember', () => {
  const cases: [Parameters<typeof mayChangeMember>, boolean][] = [
    [['owner', 'viewer', 'owner'], true],
    [['owner', 'owner', 'admin'], true],
    [['owner', 'owner', undefined], true],
    [['admin', 'viewer', 'owner'], false],
    [['admin', 'owner', 'admin'], false],
    [['admin', 'owner', undefined], false],
    [['admin', 'viewer', 'admin'], true],
    [['admin', 'admin', undefined], true],
    [['developer', 'viewer', 'admin'], false],
  ];
  for (const [[actor, from, to], expected] of cases) {
    it(`${actor} ${to ? `changing ${from} to ${to}` : `removing ${from}`}: ${expected ? 'allowed' : 'refused'}`, () => {
      assert.equal(mayChangeMember(actor, from, to), expected);
    });
  }
});
