import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideRcptTo, type RcptToDecision } from './decide-rcpt-to';
import { PolicyIndex } from './policy-index';
import { returnPathFor, type ReturnPathKeyring } from './return-path';
import { srsForward, type SrsKey } from './srs';
import type { RelaySession } from './session';
import { fixtureSnapshot, OWN_HOSTNAMES } from './test/fixture';

const index = PolicyIndex.fromSnapshot(fixtureSnapshot());
const REPORT_ID = '01KBQ3Z8W6V4J2M9N7P5R3T1XY';
const returnPathKeys: ReturnPathKeyring = { current: { id: '1', secret: Buffer.alloc(32, 7) }, previous: null };
const options = { ownHostnames: OWN_HOSTNAMES, feedbackAddress: 'fbl@relay.smarthost.test', returnPathKeys };
const signed = (domain: string) => returnPathFor(returnPathKeys, REPORT_ID, domain, 'remote.example');
const local = (domain: string) => signed(domain).split('@')[0] as string;
const inbound: RelaySession = { channel: 'inbound', clientIp: '203.0.113.50' };
const fromLoopback: RelaySession = { channel: 'inbound', clientIp: '127.0.0.1' };
const fromPrivate: RelaySession = { channel: 'inbound', clientIp: '10.0.0.5' };
const submitter = (credentialId: string | null): RelaySession => ({ channel: 'submission', clientIp: '203.0.113.9', credentialId });

function outcome(result: RcptToDecision): string {
  if (!result.ok) return result.refusal;
  if (result.channel === 'report') return `report:${result.tenant.id}:${result.messageId}`;
  if (result.channel === 'feedback') return 'feedback';
  if (result.channel === 'returned') return `returned:${result.originalSender}`;
  return result.channel === 'inbound' ? `route:${result.route.id}` : 'accept';
}

describe('decideRcptTo on port 25: the open-relay battery', () => {
  const battery: [string, string][] = [
    ['user%other.com@ours.com', 'relay_denied'],
    ['user%other.com', 'relay_denied'],
    ['other.com!user@ours.com', 'relay_denied'],
    ['other.com!user', 'relay_denied'],
    ['@ours.com:user@other.com', 'relay_denied'],
    ['@ours.com,@relay.smarthost.test:user@other.com', 'relay_denied'],
    ['"user@other"@ours.com', 'relay_denied'],
    ['"user%other.com"@ours.com', 'relay_denied'],
    ['user@[127.0.0.1]', 'relay_denied'],
    ['user@[IPv6:::1]', 'relay_denied'],
    ['user@127.0.0.1', 'relay_denied'],
    ['user@other.com@ours.com', 'relay_denied'],
    ['user@other.com', 'relay_denied'],
    ['user@ours.com.other.com', 'relay_denied'],
    ['user@sub.ours.com', 'relay_denied'],
    ['user', 'relay_denied'],
    ['', 'relay_denied'],
    ['user@ours.com\r\nRCPT TO:<x@other.com>', 'relay_denied'],
    ['postmaster@relay.smarthost.test', 'relay_denied'],
    ['postmaster@RELAY.smarthost.test.', 'relay_denied'],
    ['root@mx1.smarthost.test', 'relay_denied'],
    ['postmaster', 'relay_denied'],
    ['x@unverified.example', 'relay_denied'],
    ['x@outbound-only.example', 'relay_denied'],
    ['x@contested.example', 'relay_denied'],
    ['sales@ours.com', 'route:r-sales'],
    ['SALES@OURS.COM', 'route:r-sales'],
    ['sales@ours.com.', 'route:r-sales'],
    ['anyone@ours.com', 'route:r-ours-all'],
    ['blocked@ours.com', 'recipient_unknown'],
    ['Blocked@ours.com', 'recipient_unknown'],
    ['info@acme.example', 'route:r-info'],
    ['other@acme.example', 'recipient_unknown'],
    // A route of another tenant pointing at acme's domain never matches.
    ['steal@acme.example', 'recipient_unknown'],
    ['user@bücher.example', 'route:r-idn'],
    ['user@xn--bcher-kva.example', 'route:r-idn'],
    ['x@paused.example', 'tenant_paused'],
    // Bounces for mail the relay sent come back to its return path (VERP) under the verified sending domain.
    [signed('acme.example'), `report:acme:${REPORT_ID}`],
    [signed('acme.example').toUpperCase(), `report:acme:${REPORT_ID}`],
    [signed('outbound-only.example'), `report:acme:${REPORT_ID}`],
    [signed('suspended.example'), `report:suspended:${REPORT_ID}`],
    [signed('unverified.example'), 'relay_denied'],
    [signed('contested.example'), 'relay_denied'],
    [signed('other.com'), 'relay_denied'],
    [`${local('acme.example')}%other.com@bounces.acme.example`, 'relay_denied'],
    // Only an address the relay signed: another domain's MAC, a guessed id, the old MAC-less form.
    [`${local('outbound-only.example')}@bounces.acme.example`, 'report_unknown'],
    [signed('acme.example').replace(REPORT_ID.toLowerCase(), '01kbq3z8w6v4j2m9n7p5r3t1xz'), 'report_unknown'],
    [`bounce+${REPORT_ID.toLowerCase()}@bounces.acme.example`, 'report_unknown'],
    [`postmaster@bounces.acme.example`, 'relay_denied'],
    // Feedback loops send complaints to the one registered address at the relay's own name; nothing else there.
    ['fbl@relay.smarthost.test', 'feedback'],
    ['FBL@Relay.Smarthost.Test.', 'feedback'],
    ['fbl2@relay.smarthost.test', 'relay_denied'],
    ['fbl@mx1.smarthost.test', 'relay_denied'],
    ['x@suspended.example', 'tenant_suspended'],
  ];
  for (const [address, expected] of battery) {
    it(`${JSON.stringify(address)} → ${expected}`, () => {
      assert.equal(outcome(decideRcptTo(index, inbound, address, options)), expected);
    });
  }

  it('trusts no network: loopback and private clients get the same answers', () => {
    for (const [address, expected] of battery) {
      assert.equal(outcome(decideRcptTo(index, fromLoopback, address, options)), expected, address);
      assert.equal(outcome(decideRcptTo(index, fromPrivate, address, options)), expected, address);
    }
  });

  it('does not tell strangers why a tenant is suspended', () => {
    assert.deepEqual(decideRcptTo(index, inbound, 'x@suspended.example', options), { ok: false, refusal: 'tenant_suspended' });
  });

  it('returns where to deliver, with the original local part', () => {
    const result = decideRcptTo(index, inbound, 'Sales@OURS.com', options);
    assert.ok(result.ok && result.channel === 'inbound');
    assert.equal(result.recipient.wire, 'Sales@ours.com');
    assert.deepEqual([result.route.host, result.route.port, result.tenant.id, result.domain.id], ['127.0.0.1', 2525, 'acme', 'd-ours']);
  });
});

describe('decideRcptTo on port 25: bounces to SRS return addresses', () => {
  const srs: SrsKey = { secret: 'rcpt-test-srs-secret-0123', domain: 'relay.smarthost.test', maxAgeDays: 21 };
  const bounce = { ...options, srs, nullSender: true };
  const valid = srsForward(srs, 'Original.Sender@remote.example');
  const day = 86_400_000;
  const table: [string, string, typeof bounce][] = [
    ['a valid address, null sender', valid, bounce],
    ['a valid address in other case', valid.toLowerCase(), bounce],
    ['a tampered hash', valid.replace(/^SRS0=[a-z2-7]{8}/, 'SRS0=aaaaaaaa'), bounce],
    ['a tampered original domain', valid.replace('remote.example', 'victim.example'), bounce],
    ['an expired address', srsForward(srs, 'x@remote.example', Date.now() - 30 * day), bounce],
    ['a valid address from a non-null sender', valid, { ...bounce, nullSender: false }],
    ['a relay that takes no SRS', valid, options as typeof bounce],
  ];
  const expected = [
    'returned:Original.Sender@remote.example',
    'returned:original.sender@remote.example',
    'srs_invalid',
    'srs_invalid',
    'srs_invalid',
    'srs_not_bounce',
    'relay_denied',
  ];
  table.forEach(([name, address, opts], i) => {
    it(`${name} → ${expected[i]}`, () => assert.equal(outcome(decideRcptTo(index, inbound, address, opts)), expected[i]));
  });

  it('says why an expired address is refused', () => {
    const expired = srsForward(srs, 'x@remote.example', Date.now() - 30 * day);
    assert.deepEqual(decideRcptTo(index, inbound, expired, bounce), { ok: false, refusal: 'srs_invalid', detail: 'expired' });
  });
});

describe('decideRcptTo: the port 25 recipient cap', () => {
  const index = PolicyIndex.fromSnapshot(fixtureSnapshot());
  const at = (acceptedRecipients: number, maxInboundRecipients?: number) =>
    outcome(decideRcptTo(index, inbound, 'sales@ours.com', { ...options, acceptedRecipients, ...(maxInboundRecipients ? { maxInboundRecipients } : {}) }));

  it('accepts up to the cap and answers too_many_recipients (452 4.5.3) beyond it', () => {
    assert.notEqual(at(99, 100), 'too_many_recipients');
    assert.equal(at(100, 100), 'too_many_recipients');
    assert.notEqual(at(5000), 'too_many_recipients');
  });
});

describe('decideRcptTo on submission', () => {
  const table: [string, RelaySession, string, string][] = [
    ['no AUTH', submitter(null), 'friend@remote.example', 'auth_required'],
    ['an external address', submitter('c-all'), 'friend@remote.example', 'accept'],
    ['an external IDN address', submitter('c-all'), 'friend@bücher.example', 'accept'],
    ['a suppressed address', submitter('c-all'), 'bounced@remote.example', 'suppressed'],
    ['a suppressed address in another case', submitter('c-all'), 'Bounced@Remote.Example.', 'suppressed'],
    ['an address suppressed only for another tenant', submitter('c-globex'), 'bounced@remote.example', 'accept'],
    ['a percent hack', submitter('c-all'), 'user%other.com@remote.example', 'bad_address_syntax'],
    ['a bang path', submitter('c-all'), 'other.com!user@remote.example', 'bad_address_syntax'],
    ['a source route', submitter('c-all'), '@remote.example:user@other.com', 'bad_address_syntax'],
    ['a quoted local part', submitter('c-all'), '"a b"@remote.example', 'bad_address_syntax'],
    ['an IP literal', submitter('c-all'), 'user@[192.0.2.1]', 'bad_address_syntax'],
    ['the relay itself', submitter('c-all'), 'postmaster@relay.smarthost.test', 'relay_denied'],
    ['a disabled credential', submitter('c-disabled'), 'friend@remote.example', 'auth_credential_disabled'],
    ['a paused tenant', submitter('c-paused'), 'friend@remote.example', 'tenant_paused'],
    ['a suspended tenant', submitter('c-suspended'), 'friend@remote.example', 'tenant_suspended'],
  ];
  for (const [what, session, address, expected] of table) {
    it(`${what} → ${expected}`, () => {
      assert.equal(outcome(decideRcptTo(index, session, address, options)), expected);
    });
  }

  it('enforces the tenant recipient limit per transaction', () => {
    const at = (acceptedRecipients: number) =>
      outcome(decideRcptTo(index, submitter('c-all'), 'friend@remote.example', { ...options, acceptedRecipients }));
    assert.equal(at(2), 'accept');
    assert.equal(at(3), 'too_many_recipients');
  });
});
