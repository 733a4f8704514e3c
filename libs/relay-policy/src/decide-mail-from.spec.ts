import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideMailFrom } from './decide-mail-from';
import { PolicyIndex } from './policy-index';
import type { RelaySession } from './session';
import { fixtureSnapshot } from './test/fixture';

const index = PolicyIndex.fromSnapshot(fixtureSnapshot());
const as = (credentialId: string | null, clientIp = '203.0.113.9'): RelaySession => ({ channel: 'submission', clientIp, credentialId });
const inbound: RelaySession = { channel: 'inbound', clientIp: '127.0.0.1' };

describe('decideMailFrom on submission', () => {
  const table: [string, RelaySession, string, string][] = [
    ['an unauthenticated session', as(null), 'billing@acme.example', 'auth_required'],
    ['an unauthenticated session from loopback', as(null, '127.0.0.1'), 'billing@acme.example', 'auth_required'],
    ['a verified domain of the tenant', as('c-all'), 'billing@acme.example', 'ok:d-acme'],
    ['the same domain in another spelling', as('c-all'), 'Billing@ACME.example.', 'ok:d-acme'],
    ['an IDN domain in U-labels', as('c-all'), 'info@bücher.example', 'ok:d-idn'],
    ['an unverified domain of the tenant', as('c-all'), 'x@unverified.example', 'sender_not_owned'],
    ['another tenant\u2019s verified domain', as('c-all'), 'ceo@globex.example', 'sender_not_owned'],
    ['a domain the other tenant claims but acme verified', as('c-globex'), 'x@acme.example', 'sender_not_owned'],
    ['an unregistered domain', as('c-all'), 'x@gmail.example', 'sender_not_owned'],
    ['a subdomain of a verified domain', as('c-all'), 'x@sub.acme.example', 'sender_not_owned'],
    ['the null reverse-path', as('c-all'), '', 'sender_not_owned'],
    ['a percent hack', as('c-all'), 'x%evil.example@acme.example', 'bad_address_syntax'],
    ['a domain inside the credential scope', as('c-news'), 'x@news.acme.example', 'ok:d-news'],
    ['a domain outside the credential scope', as('c-news'), 'x@acme.example', 'sender_not_owned'],
    ['an allowed sender', as('c-senders'), 'Billing@acme.example', 'ok:d-acme'],
    ['a sender not on the list', as('c-senders'), 'ceo@acme.example', 'sender_not_owned'],
    ['a listed sender in an allowed domain', as('c-both'), 'billing@acme.example', 'ok:d-acme'],
    ['a listed sender outside the allowed domains', as('c-both'), 'x@news.acme.example', 'sender_not_owned'],
    ['a disabled credential', as('c-disabled'), 'billing@acme.example', 'auth_credential_disabled'],
    ['an allowlisted client', as('c-ip', '192.0.2.1'), 'billing@acme.example', 'ok:d-acme'],
    ['a client outside the allowlist', as('c-ip', '198.51.100.1'), 'billing@acme.example', 'auth_ip_not_allowed'],
    ['a paused tenant\u2019s own domain', as('c-paused'), 'x@paused.example', 'tenant_paused'],
    ['a suspended tenant\u2019s own domain', as('c-suspended'), 'x@suspended.example', 'tenant_suspended'],
    // The decision table checks ownership before tenant status.
    ['a suspended tenant using a foreign domain', as('c-suspended'), 'x@acme.example', 'sender_not_owned'],
  ];
  for (const [what, session, address, expected] of table) {
    it(`${what} → ${expected}`, () => {
      const result = decideMailFrom(index, session, address);
      const actual = !result.ok ? result.refusal : result.channel === 'submission' ? `ok:${result.domain.id}` : 'ok:inbound';
      assert.equal(actual, expected);
    });
  }

  it('carries the tenant reason for a paused tenant', () => {
    const result = decideMailFrom(index, as('c-paused'), 'x@paused.example');
    assert.deepEqual(result, { ok: false, refusal: 'tenant_paused', detail: 'bounce rate above 5%' });
  });

  it('returns the sender with the original local part for the wire', () => {
    const result = decideMailFrom(index, as('c-all'), 'Billing@ACME.example');
    assert.ok(result.ok && result.channel === 'submission');
    assert.equal(result.sender.wire, 'Billing@acme.example');
    assert.equal(result.tenant.id, 'acme');
    assert.equal(result.credential.id, 'c-all');
  });
});

describe('decideMailFrom on inbound', () => {
  it('accepts the null reverse-path', () => {
    assert.deepEqual(decideMailFrom(index, inbound, ''), { ok: true, channel: 'inbound', sender: null });
  });

  it('accepts any readable sender', () => {
    const result = decideMailFrom(index, inbound, 'someone@far-away.example');
    assert.ok(result.ok && result.channel === 'inbound');
    assert.equal(result.sender?.normalized, 'someone@far-away.example');
  });

  for (const bad of ['@a.example:x@b.example', 'x@[192.0.2.1]', 'not-an-address']) {
    it(`refuses the unreadable sender ${bad}`, () => {
      const result = decideMailFrom(index, inbound, bad);
      assert.equal(result.ok ? 'ok' : result.refusal, 'bad_address_syntax');
    });
  }
});
