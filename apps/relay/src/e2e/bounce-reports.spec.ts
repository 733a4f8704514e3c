import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newMessageId } from '@smarthost/queues';
import { returnPathFor } from '@smarthost/relay-policy';
import { sendMail, swaks } from '@smarthost/testkit';
import { RELAY_HOSTNAME, startTestBed, type RelayTestBed } from '../test/test-relay';

/** A complaint as a feedback loop sends it (RFC 5965), about a message the relay sent with `returnPath`. */
function arf(returnPath: string, recipient: string | null, feedbackType = 'abuse'): string {
  return [
    'From: <staff@fbl.mailbox.example>',
    `To: <fbl@${RELAY_HOSTNAME}>`,
    'Subject: complaint about message from 192.0.2.10',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=feedback-report; boundary="F1"',
    '',
    '--F1',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is an email abuse report.',
    '',
    '--F1',
    'Content-Type: message/feedback-report',
    '',
    `Feedback-Type: ${feedbackType}`,
    'User-Agent: FBL/1.0',
    'Version: 1',
    ...(recipient === null ? [] : [`Original-Rcpt-To: <${recipient}>`]),
    'Arrival-Date: Sun, 29 Nov 2026 10:00:00 +0000',
    '',
    '--F1',
    'Content-Type: message/rfc822',
    'Content-Disposition: inline',
    '',
    `Return-Path: <${returnPath}>`,
    'From: news@acme.test',
    `To: ${recipient ?? 'redacted@mailbox.example'}`,
    'Subject: Offer',
    '',
    'Buy now.',
    '--F1--',
    '',
  ].join('\r\n');
}

/** A bounce as Postfix sends it after a remote server first accepted the message (RFC 3464). */
function dsn(returnPath: string, recipient: string, status: string, diagnostic: string): string {
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
    '',
    '--B1',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.remote.example',
    '',
    `Final-Recipient: rfc822; ${recipient}`,
    'Action: failed',
    `Status: ${status}`,
    'Remote-MTA: dns; store.remote.example',
    `Diagnostic-Code: smtp; ${diagnostic}`,
    '',
    '--B1--',
    '',
  ].join('\r\n');
}

describe('bounce reports at the return path, complaints at the feedback-loop address', () => {
  let bed: RelayTestBed;
  before(async () => {
    bed = await startTestBed();
  });
  after(() => bed.close());

  const report = (to: string, raw: string) =>
    sendMail({ port: bed.relay.ports.inbound, message: { envelope: { from: '', to }, raw } });

  it('turns a late bounce for a sent message into a bounced event, a hard bounce for an unknown mailbox', async () => {
    const messageId = newMessageId();
    const returnPath = returnPathFor(messageId, 'acme.test');
    const result = await report(returnPath, dsn(returnPath, 'Gone@Example.org', '5.1.1', '550 5.1.1 <gone@example.org>: mailbox unknown'));
    assert.ok(result.ok, result.ok ? '' : result.response);
    assert.match(result.info.response, /^250 2\.0\.0 OK report received/);
    const event = (await bed.events()).find((e) => e.messageId === messageId);
    assert.ok(event, 'a bounced event for the message');
    assert.deepEqual(
      [event.type, event.phase, event.code, event.tenantId, event.domainId, event.recipients, event.enhancedCode, event.smtpCode, event.remoteMta],
      ['bounced', 'report', 'hard_bounce', 't-acme', 'd-acme', ['gone@example.org'], '5.1.1', 550, 'store.remote.example'],
    );
  });

  it('accepts a report that names no permanent failure, and records nothing', async () => {
    const messageId = newMessageId();
    const returnPath = returnPathFor(messageId, 'acme.test');
    const result = await report(returnPath, 'Subject: Delivery delayed\r\n\r\nStill trying.\r\n');
    assert.ok(result.ok, result.ok ? '' : result.response);
    assert.equal((await bed.events()).filter((e) => e.messageId === messageId).length, 0);
  });

  it('refuses a return path under a domain the relay does not send for, and a report mixed with other mail', async () => {
    const messageId = newMessageId();
    const foreign = await swaks(['--server', '127.0.0.1', '--port', String(bed.relay.ports.inbound), '--from', '<>', '--to', returnPathFor(messageId, 'unverified.acme.test'), '--quit-after', 'RCPT']);
    assert.match(foreign.transcript, /<\*\* 554 5\.7\.1/);
    const mixed = await swaks([
      '--server', '127.0.0.1', '--port', String(bed.relay.ports.inbound), '--from', '<>',
      '--to', `${returnPathFor(messageId, 'acme.test')},support@acme.test`, '--quit-after', 'RCPT',
    ]);
    assert.match(mixed.transcript, /<\*\* 452 /);
  });

  it('turns a complaint to the feedback-loop address into a complained event for the tenant that sent the message', async () => {
    const messageId = newMessageId();
    const returnPath = returnPathFor(messageId, 'acme.test');
    const result = await report(`fbl@${RELAY_HOSTNAME}`, arf(returnPath, 'Annoyed@Example.org'));
    assert.ok(result.ok, result.ok ? '' : result.response);
    assert.match(result.info.response, /^250 2\.0\.0 OK report received/);
    const event = (await bed.events()).find((e) => e.messageId === messageId);
    assert.ok(event, 'a complained event for the message');
    assert.deepEqual([event.type, event.phase, event.code, event.tenantId, event.domainId, event.recipients], ['complained', 'report', 'abuse', 't-acme', 'd-acme', ['annoyed@example.org']]);
  });

  it('accepts and drops a report that is no complaint, does not say who complained, or is about mail the relay did not send', async () => {
    const redacted = newMessageId();
    assert.ok((await report(`fbl@${RELAY_HOSTNAME}`, arf(returnPathFor(redacted, 'acme.test'), null))).ok);
    const foreign = newMessageId();
    assert.ok((await report(`fbl@${RELAY_HOSTNAME}`, arf(returnPathFor(foreign, 'unverified.acme.test'), 'x@example.org'))).ok);
    const wanted = newMessageId();
    assert.ok((await report(`fbl@${RELAY_HOSTNAME}`, arf(returnPathFor(wanted, 'acme.test'), 'x@example.org', 'not-spam'))).ok);
    const events = await bed.events();
    assert.equal(events.filter((e) => [redacted, foreign, wanted].includes(e.messageId ?? '')).length, 0);
  });
});
