import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newMessageId } from '@smarthost/queues';
import { returnPathFor } from '@smarthost/relay-policy';
import { sendMail, swaks } from '@smarthost/testkit';
import { startTestBed, type RelayTestBed } from '../test/test-relay';

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

describe('bounce reports at the return path', () => {
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
});
