import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rawSmtp, sendMail, swaks, type RawSmtpClient } from '@smarthost/testkit';
import { PASSWORDS } from '../test/fixtures';
import { RELAY_HOSTNAME, startTestBed, type RelayTestBed } from '../test/test-relay';

const plain = (user: string, pass: string) => Buffer.from(`\0${user}\0${pass}`).toString('base64');

/** Recipient forms that have turned relays into open relays, all aimed outside our customers' mailboxes. */
const TRICKY_RECIPIENTS = [
  'victim@example.org',
  'VICTIM@EXAMPLE.ORG',
  'victim@example.org.',
  'victim%example.org@acme.test',
  'victim%example.org@[127.0.0.1]',
  'example.org!victim@acme.test',
  'example.org!victim',
  '@acme.test:victim@example.org',
  '@acme.test,@relay.smarthost.test:victim@example.org',
  '"victim@example.org"@acme.test',
  '"victim%example.org"@acme.test',
  'victim@[127.0.0.1]',
  'victim@[IPv6:::1]',
  'victim@127.0.0.1',
  `postmaster@${RELAY_HOSTNAME}`,
  'victim@localhost',
  'victim@acme.test@example.org',
  'victim@unverified.acme.test',
  'victim@xn--acme-.test',
  'victim@acme.test.example.org',
];

describe('open-relay battery: nothing is ever queued for strangers', () => {
  let bed: RelayTestBed;
  let queuedBefore = 0;
  const open: RawSmtpClient[] = [];

  before(async () => {
    bed = await startTestBed();
    queuedBefore = (await bed.deliveryJobs()).length;
  });
  after(async () => {
    await Promise.all(open.map((c) => c.close()));
    await bed.close();
  });

  async function session(port: number, tls: boolean, from: string): Promise<RawSmtpClient> {
    const client = await rawSmtp('127.0.0.1', port, { tls });
    open.push(client);
    await client.read();
    assert.equal((await client.command('EHLO attacker.test')).code, 250);
    const mail = await client.command(`MAIL FROM:<${from}>`);
    assert.equal(mail.code, 250, `MAIL FROM accepted on port 25 (${mail.raw})`);
    return client;
  }

  it('port 25, unauthenticated: every tricky recipient is refused with a 5xx', async () => {
    for (const from of ['spammer@example.net', 'ceo@acme.test', '']) {
      const client = await session(bed.relay.ports.inbound, false, from);
      for (const rcpt of TRICKY_RECIPIENTS) {
        const reply = await client.command(`RCPT TO:<${rcpt}>`);
        assert.ok(reply.code >= 500 && reply.code < 600, `RCPT TO:<${rcpt}> from <${from}> → ${reply.raw}`);
      }
      assert.equal((await client.command('DATA')).code, 503, 'no recipient, no DATA');
    }
  });

  it('port 25: relay attempts to strangers answer 554 5.7.1 relay access denied', async () => {
    const client = await session(bed.relay.ports.inbound, false, 'spammer@example.net');
    const reply = await client.command('RCPT TO:<victim@example.org>');
    assert.equal(reply.code, 554);
    assert.match(reply.lines[0] ?? '', /^5\.7\.1 Relay access denied/);
  });

  it('port 25 offers no AUTH, so credentials cannot open it either', async () => {
    const client = await rawSmtp('127.0.0.1', bed.relay.ports.inbound);
    open.push(client);
    await client.read();
    const ehlo = await client.command('EHLO attacker.test');
    assert.ok(!ehlo.lines.some((l) => l.startsWith('AUTH')));
    const auth = await client.command(`AUTH PLAIN ${plain('acme-app', PASSWORDS.acme)}`);
    assert.ok(auth.code >= 500, auth.raw);
    await client.command('MAIL FROM:<a@acme.test>');
    assert.equal((await client.command('RCPT TO:<victim@example.org>')).code, 554);
  });

  it('submission ports, unauthenticated (loopback is not trusted): 530 5.7.0', async () => {
    for (const [port, tls] of [
      [bed.relay.ports.submission, false],
      [bed.relay.ports.submissions, true],
    ] as const) {
      const client = await rawSmtp('127.0.0.1', port, { tls });
      open.push(client);
      await client.read();
      await client.command('EHLO attacker.test');
      const mail = await client.command('MAIL FROM:<a@acme.test>');
      assert.equal(mail.code, 530, mail.raw);
      const rcpt = await client.command('RCPT TO:<victim@example.org>');
      assert.ok(rcpt.code >= 500, rcpt.raw);
    }
  });

  it('submission, authenticated but foreign sender: 553 on both submission ports', async () => {
    for (const [port, secure] of [
      [bed.relay.ports.submission, false],
      [bed.relay.ports.submissions, true],
    ] as const) {
      for (const from of ['ceo@globex.test', 'a@unverified.acme.test', 'a@example.org', 'a@acme.test.evil.test']) {
        const result = await sendMail({
          port,
          secure,
          requireTLS: !secure,
          auth: { user: 'acme-app', pass: PASSWORDS.acme },
          message: { from, to: 'victim@example.org', subject: 's', text: 'x' },
        });
        assert.equal(result.ok, false, `${from} on ${port}`);
        assert.equal(result.ok ? 0 : result.responseCode, 553, `${from} on ${port}`);
      }
    }
  });

  it('submission, authenticated: unreadable or own-host recipients are refused', async () => {
    const client = await rawSmtp('127.0.0.1', bed.relay.ports.submissions, { tls: true });
    open.push(client);
    await client.read();
    await client.command('EHLO client.test');
    assert.equal((await client.command(`AUTH PLAIN ${plain('acme-app', PASSWORDS.acme)}`)).code, 235);
    assert.equal((await client.command('MAIL FROM:<a@acme.test>')).code, 250);
    // An authorised sender may mail any external address, but never one the rules cannot read unambiguously.
    // smtp-server drops source routes (RFC 5321 §3.3 says to ignore them), leaving the plain final address.
    const refused = TRICKY_RECIPIENTS.filter(
      (r) => !r.startsWith('@') && !['victim@example.org', 'VICTIM@EXAMPLE.ORG', 'victim@example.org.', 'victim@acme.test.example.org', 'victim@unverified.acme.test'].includes(r),
    );
    for (const rcpt of refused) {
      const reply = await client.command(`RCPT TO:<${rcpt}>`);
      assert.ok(reply.code >= 500, `RCPT TO:<${rcpt}> → ${reply.raw}`);
    }
    await client.command('RSET');
  });

  it('swaks on port 25 to an external address: refused (exit 24 = RCPT refused)', async () => {
    const result = await swaks(['--server', '127.0.0.1', '--port', String(bed.relay.ports.inbound), '--from', 'x@example.net', '--to', 'victim@example.org']);
    assert.equal(result.exitCode, 24, result.transcript);
  });

  it('after the whole battery, the delivery queue holds nothing new', async () => {
    assert.equal((await bed.deliveryJobs()).length, queuedBefore);
  });
});
