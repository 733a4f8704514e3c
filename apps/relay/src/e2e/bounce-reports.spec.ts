import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newMessageId } from '@smarthost/queues';
import { returnPathFor } from '@smarthost/relay-policy';
import { arfReport, RawSmtpClient, sendMail, startDnsServer, startFeedbackLoop, swaks, type FeedbackLoop, type TestDnsServer } from '@smarthost/testkit';
import { TEST_RETURN_PATH_KEYS } from '../test/return-path-keys';
import { RELAY_HOSTNAME, startTestBed, type RelayTestBed } from '../test/test-relay';

const FEEDBACK = `fbl@${RELAY_HOSTNAME}`;
const MAX_REPORT_BYTES = 16 * 1024;
/** The return path a worker sends a message of acme.test to `destination` with. */
const signed = (messageId: string, destination = 'example.org', sender = 'acme.test') => returnPathFor(TEST_RETURN_PATH_KEYS, messageId, sender, destination);

/** A bounce as Postfix sends it after a remote server first accepted the message (RFC 3464). */
function dsn(returnPath: string, failures: { recipient: string; status: string; diagnostic: string }[], padding = ''): string {
  return [
    'From: MAILER-DAEMON@mx.remote.example (Mail Delivery System)',
    `To: ${returnPath}`,
    'Subject: Undelivered Mail Returned to Sender',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B1"',
    '',
    '--B1',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'I could not deliver your message.',
    padding,
    '',
    '--B1',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.remote.example',
    ...failures.flatMap(({ recipient, status, diagnostic }) => [
      '',
      `Final-Recipient: rfc822; ${recipient}`,
      'Action: failed',
      `Status: ${status}`,
      'Remote-MTA: dns; store.remote.example',
      `Diagnostic-Code: smtp; ${diagnostic}`,
    ]),
    '',
    '--B1--',
    '',
  ].join('\r\n');
}

describe('bounce reports at the return path, complaints at the feedback-loop address', () => {
  let bed: RelayTestBed;
  let dns: TestDnsServer;
  let provider: FeedbackLoop;
  let stranger: FeedbackLoop;
  before(async () => {
    dns = await startDnsServer();
    provider = startFeedbackLoop(dns, 'fbl.provider.example');
    stranger = startFeedbackLoop(dns, 'forger.example');
    bed = await startTestBed({
      env: { DNS_SERVERS: dns.server, FEEDBACK_PROVIDER_DOMAINS: 'provider.example', REPORT_MAX_BYTES: String(MAX_REPORT_BYTES), REPORT_DKIM_TIMEOUT_SECONDS: '2' },
    });
  });
  after(async () => {
    await bed.close();
    await dns.close();
  });

  const report = (to: string, raw: string) => sendMail({ port: bed.relay.ports.inbound, message: { envelope: { from: '', to }, raw } });
  const eventsOf = async (messageId: string) => (await bed.events()).filter((e) => e.messageId === messageId);
  const inbound = () => RawSmtpClient.connect('127.0.0.1', bed.relay.ports.inbound, { timeoutMs: 15_000 });

  it('turns a late bounce for a sent message into a bounced event, a hard bounce for an unknown mailbox', async () => {
    const messageId = newMessageId();
    const returnPath = signed(messageId);
    const result = await report(returnPath, dsn(returnPath, [{ recipient: 'Gone@Example.org', status: '5.1.1', diagnostic: '550 5.1.1 <gone@example.org>: mailbox unknown' }]));
    assert.ok(result.ok, result.ok ? '' : result.response);
    assert.match(result.info.response, /^250 2\.0\.0 OK report received/);
    const [event] = await eventsOf(messageId);
    assert.ok(event, 'a bounced event for the message');
    assert.deepEqual(
      [event.type, event.phase, event.code, event.tenantId, event.domainId, event.recipients, event.enhancedCode, event.smtpCode, event.remoteMta],
      ['bounced', 'report', 'hard_bounce', 't-acme', 'd-acme', ['gone@example.org'], '5.1.1', 550, 'store.remote.example'],
    );
  });

  it('counts a bounce only for recipients at the destination its return path was signed for', async () => {
    // A recipient at example.org saw this return path; it must not bounce the message's recipient at gmail.example.
    const messageId = newMessageId();
    const returnPath = signed(messageId, 'example.org');
    const result = await report(returnPath, dsn(returnPath, [
      { recipient: 'victim@gmail.example', status: '5.1.1', diagnostic: '550 5.1.1 unknown' },
      { recipient: 'self@example.org', status: '5.2.2', diagnostic: '552 5.2.2 mailbox full' },
    ]));
    assert.ok(result.ok, result.ok ? '' : result.response);
    const events = await eventsOf(messageId);
    assert.deepEqual(events.map((e) => [e.type, e.recipients]), [['bounced', ['self@example.org']]]);
  });

  it('accepts a report that names no permanent failure, and records nothing', async () => {
    const messageId = newMessageId();
    const result = await report(signed(messageId), 'Subject: Delivery delayed\r\n\r\nStill trying.\r\n');
    assert.ok(result.ok, result.ok ? '' : result.response);
    assert.equal((await eventsOf(messageId)).length, 0);
  });

  it('refuses at RCPT, without reading DATA, a bounce+ address with a wrong MAC, a guessed id or the old MAC-less form', async () => {
    const messageId = newMessageId();
    const good = signed(messageId);
    const local = good.split('@')[0] as string;
    const forgeries = [
      `${local.slice(0, -1)}${local.endsWith('a') ? 'b' : 'a'}@bounces.acme.test`,
      good.replace(messageId.toLowerCase(), newMessageId().toLowerCase()),
      `bounce+${messageId.toLowerCase()}@bounces.acme.test`,
    ];
    for (const forged of forgeries) {
      const client = await inbound();
      try {
        await client.read();
        assert.equal((await client.command('EHLO forger.example')).code, 250);
        assert.equal((await client.command('MAIL FROM:<>')).code, 250);
        const rcpt = await client.command(`RCPT TO:<${forged}>`);
        assert.equal(rcpt.code, 550, `${forged}: ${rcpt.raw}`);
        assert.match(rcpt.raw, /^550 5\.1\.1 /);
        // No recipient was taken: DATA is not even started.
        assert.equal((await client.command('DATA')).code, 503);
      } finally {
        await client.close();
      }
    }
    assert.equal((await eventsOf(messageId)).length, 0);
  });

  it('refuses a return path under a domain the relay does not send for, and a report mixed with other mail', async () => {
    const messageId = newMessageId();
    const foreign = await swaks(['--server', '127.0.0.1', '--port', String(bed.relay.ports.inbound), '--from', '<>', '--to', signed(messageId, 'example.org', 'unverified.acme.test'), '--quit-after', 'RCPT']);
    assert.match(foreign.transcript, /<\*\* 554 5\.7\.1/);
    const mixed = await swaks([
      '--server', '127.0.0.1', '--port', String(bed.relay.ports.inbound), '--from', '<>',
      '--to', `${signed(messageId)},support@acme.test`, '--quit-after', 'RCPT',
    ]);
    assert.match(mixed.transcript, /<\*\* 452 /);
  });

  it('refuses an oversized report with 552 5.3.4: counted while it streams, or at RCPT when SIZE declares it', async () => {
    const messageId = newMessageId();
    const returnPath = signed(messageId);
    const padding = 'x'.repeat(76).concat('\r\n').repeat(Math.ceil((4 * MAX_REPORT_BYTES) / 78));
    const oversized = await report(returnPath, dsn(returnPath, [{ recipient: 'big@example.org', status: '5.1.1', diagnostic: '550 5.1.1 unknown' }], padding));
    assert.ok(!oversized.ok, 'refused');
    assert.equal(oversized.responseCode, 552, oversized.response);
    assert.match(oversized.response ?? '', /^552 5\.3\.4 /);
    assert.ok(!(await eventsOf(messageId)).some((e) => e.type === 'bounced'), 'nothing of it counted');

    const client = await inbound();
    try {
      await client.read();
      await client.command('EHLO reporter.example');
      assert.equal((await client.command(`MAIL FROM:<> SIZE=${MAX_REPORT_BYTES + 1}`)).code, 250);
      const rcpt = await client.command(`RCPT TO:<${returnPath}>`);
      assert.match(rcpt.raw, /^552 5\.3\.4 /);
    } finally {
      await client.close();
    }
  });

  it('counts a complaint signed by a configured feedback loop: a complained event for the tenant that sent the message', async () => {
    const messageId = newMessageId();
    const arf = await provider.sign(arfReport({ returnPath: signed(messageId), recipient: 'Annoyed@Example.org', to: FEEDBACK, from: 'staff@fbl.provider.example' }));
    const result = await report(FEEDBACK, arf);
    assert.ok(result.ok, result.ok ? '' : result.response);
    assert.match(result.info.response, /^250 2\.0\.0 OK report received/);
    const [event] = await eventsOf(messageId);
    assert.ok(event, 'a complained event for the message');
    assert.deepEqual([event.type, event.phase, event.code, event.tenantId, event.domainId, event.recipients], ['complained', 'report', 'abuse', 't-acme', 'd-acme', ['annoyed@example.org']]);
    assert.match(event.detail ?? '', /signed by fbl\.provider\.example/);
  });

  it('keeps an unsigned or foreign-signed complaint only as unverified, which counts for nothing', async () => {
    const unsigned = newMessageId();
    const foreign = newMessageId();
    const tampered = newMessageId();
    assert.ok((await report(FEEDBACK, arfReport({ returnPath: signed(unsigned), recipient: 'a@example.org', to: FEEDBACK }))).ok);
    assert.ok((await report(FEEDBACK, await stranger.sign(arfReport({ returnPath: signed(foreign), recipient: 'b@example.org', to: FEEDBACK })))).ok);
    // A provider's signature over another report does not carry over to a changed one.
    const original = await provider.sign(arfReport({ returnPath: signed(tampered), recipient: 'c@example.org', to: FEEDBACK }));
    assert.ok((await report(FEEDBACK, original.replace('Buy now.', 'Buy later.'))).ok);
    const details: Record<string, string | null> = {};
    for (const [messageId, recipient] of [[unsigned, 'a@example.org'], [foreign, 'b@example.org'], [tampered, 'c@example.org']] as const) {
      const events = await eventsOf(messageId);
      assert.deepEqual(events.map((e) => [e.type, e.recipients, e.tenantId]), [['complaint_unverified', [recipient], 't-acme']], recipient);
      details[recipient] = events[0]?.detail ?? null;
    }
    assert.match(details['a@example.org'] ?? '', /unverified: not DKIM-signed/);
    assert.match(details['b@example.org'] ?? '', /unverified: .*d=forger\.example/);
    assert.match(details['c@example.org'] ?? '', /unverified: .*d=fbl\.provider\.example/);
    assert.ok(!dns.queries.some((q) => q.name.endsWith('forger.example')), "a stranger's key is never looked up");
  });

  it("answers 451 4.4.3 when the provider's key cannot be looked up in time, so the provider sends it again", async () => {
    const messageId = newMessageId();
    const arf = await provider.sign(arfReport({ returnPath: signed(messageId), recipient: 'later@example.org', to: FEEDBACK }));
    dns.fail('fbl._domainkey.fbl.provider.example', 'timeout');
    try {
      const result = await report(FEEDBACK, arf);
      assert.ok(!result.ok);
      assert.match(result.response ?? '', /^451 4\.4\.3 /);
    } finally {
      dns.unfail('fbl._domainkey.fbl.provider.example');
    }
    assert.equal((await eventsOf(messageId)).length, 0);
    assert.ok((await report(FEEDBACK, arf)).ok, 'accepted once DNS answers');
    assert.deepEqual((await eventsOf(messageId)).map((e) => e.type), ['complained']);
  });

  it('accepts and drops a report that is no complaint, does not say who complained, or is about mail the relay did not send', async () => {
    const redacted = newMessageId();
    const forged = newMessageId();
    const elsewhere = newMessageId();
    const wanted = newMessageId();
    const send = async (raw: string) => assert.ok((await report(FEEDBACK, await provider.sign(raw))).ok);
    await send(arfReport({ returnPath: signed(redacted), recipient: null, to: FEEDBACK }));
    await send(arfReport({ returnPath: `bounce+${forged.toLowerCase()}@bounces.acme.test`, recipient: 'x@example.org', to: FEEDBACK }));
    await send(arfReport({ returnPath: signed(elsewhere, 'other.example'), recipient: 'x@example.org', to: FEEDBACK }));
    await send(arfReport({ returnPath: signed(wanted), recipient: 'x@example.org', feedbackType: 'not-spam', to: FEEDBACK }));
    const events = await bed.events();
    assert.equal(events.filter((e) => [redacted, forged, elsewhere, wanted].includes(e.messageId ?? '')).length, 0);
  });
});
