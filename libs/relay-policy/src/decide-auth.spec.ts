import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { upsertChange } from './contract';
import { authenticate, resolveSubmitter } from './decide-auth';
import { PolicyIndex } from './policy-index';
import { fixtureSnapshot } from './test/fixture';

const index = PolicyIndex.fromSnapshot(fixtureSnapshot());

describe('authenticate', () => {
  const table: [string, string, string, string, string][] = [
    ['a valid credential', 'user-c-all', 'pw-user-c-all', '203.0.113.9', 'ok:c-all'],
    ['an unknown user', 'nobody', 'pw-nobody', '203.0.113.9', 'auth_unknown_user'],
    ['a username in another case', 'USER-C-ALL', 'pw-user-c-all', '203.0.113.9', 'auth_unknown_user'],
    ['a wrong password', 'user-c-all', 'pw-user-c-news', '203.0.113.9', 'auth_bad_password'],
    ['an empty password', 'user-c-all', '', '203.0.113.9', 'auth_bad_password'],
    ['a disabled credential', 'user-c-disabled', 'pw-user-c-disabled', '203.0.113.9', 'auth_credential_disabled'],
    ['a disabled credential with a wrong password', 'user-c-disabled', 'guess', '203.0.113.9', 'auth_bad_password'],
    ['a credential whose tenant is gone', 'user-c-orphan', 'pw-user-c-orphan', '203.0.113.9', 'auth_unknown_user'],
    ['an allowlisted IPv4 client', 'user-c-ip', 'pw-user-c-ip', '192.0.2.44', 'ok:c-ip'],
    ['an allowlisted client on a dual-stack socket', 'user-c-ip', 'pw-user-c-ip', '::ffff:192.0.2.44', 'ok:c-ip'],
    ['an allowlisted IPv6 client', 'user-c-ip', 'pw-user-c-ip', '2001:db8:1::7', 'ok:c-ip'],
    ['a client outside the allowlist', 'user-c-ip', 'pw-user-c-ip', '198.51.100.1', 'auth_ip_not_allowed'],
    // No network is trusted: loopback is not on the list, so it is refused like any other address.
    ['loopback outside the allowlist', 'user-c-ip', 'pw-user-c-ip', '127.0.0.1', 'auth_ip_not_allowed'],
    ['a wrong password from an allowed address', 'user-c-ip', 'nope', '192.0.2.44', 'auth_bad_password'],
  ];
  for (const [what, username, password, ip, expected] of table) {
    it(`${what} → ${expected}`, () => {
      const result = authenticate(index, username, password, ip);
      assert.equal(result.ok ? `ok:${result.credential.id}` : result.refusal, expected);
      if (result.ok) assert.equal(result.tenant.id, result.credential.tenantId);
    });
  }

  it('authenticates a suspended tenant (MAIL FROM refuses it with the reason)', () => {
    const result = authenticate(index, 'user-c-suspended', 'pw-user-c-suspended', '203.0.113.9');
    assert.ok(result.ok);
    assert.equal(result.tenant.status, 'suspended');
  });
});

describe('resolveSubmitter', () => {
  it('requires authentication', () => {
    const result = resolveSubmitter(index, { channel: 'submission', clientIp: '127.0.0.1', credentialId: null });
    assert.deepEqual(result, { ok: false, refusal: 'auth_required' });
  });

  it('sees a credential disabled after AUTH', () => {
    const live = PolicyIndex.fromSnapshot(fixtureSnapshot());
    const session = { channel: 'submission' as const, clientIp: '203.0.113.9', credentialId: 'c-all' };
    assert.ok(resolveSubmitter(live, session).ok);
    live.applyDelta({
      schemaVersion: 2,
      fromVersion: 10,
      toVersion: 11,
      generatedAt: '2025-01-02T00:00:00.000Z',
      changes: [upsertChange('credential', { ...live.credential('c-all')!, status: 'disabled' })],
    });
    assert.deepEqual(resolveSubmitter(live, session), { ok: false, refusal: 'auth_credential_disabled' });
  });

  it('refuses a credential that no longer exists', () => {
    const result = resolveSubmitter(index, { channel: 'submission', clientIp: '127.0.0.1', credentialId: 'gone' });
    assert.deepEqual(result, { ok: false, refusal: 'auth_credential_disabled' });
  });
});
