import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REFUSAL_CODES, smtpReply, type RefusalCode } from './refusals';

describe('smtpReply', () => {
  const expected: Record<RefusalCode, [number, string]> = {
    auth_required: [530, '5.7.0'],
    auth_unknown_user: [535, '5.7.8'],
    auth_bad_password: [535, '5.7.8'],
    auth_credential_disabled: [535, '5.7.8'],
    auth_ip_not_allowed: [535, '5.7.8'],
    auth_too_many_failures: [421, '4.7.0'],
    auth_username_flood: [421, '4.7.0'],
    auth_address_flood: [421, '4.7.0'],
    auth_tls_required: [538, '5.7.11'],
    sender_not_owned: [553, '5.7.1'],
    tenant_suspended: [550, '5.7.1'],
    tenant_paused: [451, '4.7.1'],
    quota_daily_exhausted: [452, '4.5.3'],
    quota_monthly_exhausted: [452, '4.5.3'],
    rate_limited: [451, '4.7.1'],
    too_many_recipients: [452, '4.5.3'],
    message_too_large: [552, '5.3.4'],
    relay_denied: [554, '5.7.1'],
    recipient_unknown: [550, '5.1.1'],
    report_unknown: [550, '5.1.1'],
    suppressed: [550, '5.1.1'],
    bad_address_syntax: [501, '5.1.3'],
    from_misaligned: [550, '5.7.1'],
    policy_unavailable: [451, '4.3.0'],
    storage_unavailable: [451, '4.3.0'],
    report_check_unavailable: [451, '4.4.3'],
    bare_line_ending: [550, '5.6.11'],
    dmarc_reject: [550, '5.7.1'],
    too_many_signatures: [550, '5.7.1'],
    srs_invalid: [550, '5.1.1'],
    srs_not_bounce: [550, '5.7.1'],
    too_many_hops: [554, '5.4.6'],
    inbound_quota_exhausted: [452, '4.2.2'],
    inbound_backlog_full: [452, '4.3.1'],
    line_too_long: [550, '5.6.0'],
  };

  for (const code of REFUSAL_CODES) {
    it(`maps ${code} to ${expected[code].join(' ')}`, () => {
      const reply = smtpReply(code);
      assert.deepEqual([reply.code, reply.enhanced], expected[code]);
      assert.ok(reply.message.length > 0);
      // Permanent codes carry a 5.x.x enhanced code and transient ones 4.x.x (RFC 3463 §3.1).
      assert.equal(reply.enhanced[0], String(reply.code)[0]);
    });
  }

  it('lists every code once', () => {
    assert.deepEqual([...REFUSAL_CODES].sort(), Object.keys(expected).sort());
  });

  it('gives the same reply for every authentication failure, so usernames cannot be probed', () => {
    const replies = (['auth_unknown_user', 'auth_bad_password', 'auth_credential_disabled', 'auth_ip_not_allowed'] as const).map(
      (code) => smtpReply(code),
    );
    for (const reply of replies) assert.deepEqual(reply, replies[0]);
  });

  it('appends a detail on one printable line', () => {
    const reply = smtpReply('tenant_suspended', 'payment failed\r\n250 OK\u0000 ünïcode');
    assert.equal(reply.message, 'Account suspended: payment failed 250 OK n code');
    assert.doesNotMatch(reply.message, /[\r\n]/);
  });

  it('bounds the detail length and ignores an empty or null detail', () => {
    assert.ok(smtpReply('tenant_paused', 'x'.repeat(5000)).message.length < 300);
    assert.equal(smtpReply('tenant_paused', null).message, smtpReply('tenant_paused').message);
    assert.equal(smtpReply('tenant_paused', ' \r\n ').message, smtpReply('tenant_paused').message);
  });
});
