import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { reply } from './reply-script';
import { sendMail } from './send-mail';
import { SmtpSink, startSmtpSink } from './smtp-sink';

const message = { from: 'app@sender.test', to: 'user@rcpt.test', subject: 'Hello', text: 'Body line\r\n.leading dot\r\n' };

describe('startSmtpSink with STARTTLS', () => {
  let sink: SmtpSink;

  before(async () => {
    sink = await startSmtpSink({ users: { alice: 's3cret' } });
  });
  after(() => sink.close());
  beforeEach(() => {
    sink.resetReplies();
    sink.clearMessages();
  });

  it('records a message sent by nodemailer over verified STARTTLS', async () => {
    const result = await sendMail({ port: sink.port, requireTLS: true, ca: sink.cert, name: 'client.example.test', message });
    assert.ok(result.ok, JSON.stringify(result));
    const [received] = await sink.waitForMessages(1, 2000);
    assert.ok(received);
    assert.deepEqual(received.envelope, { mailFrom: 'app@sender.test', rcptTo: ['user@rcpt.test'] });
    assert.equal(received.secure, true);
    assert.equal(received.remoteAddress, '127.0.0.1');
    assert.equal(received.heloName, 'client.example.test');
    const raw = received.raw.toString('utf8');
    assert.match(raw, /^Subject: Hello\r$/m);
    assert.match(raw, /^\.leading dot\r$/m, 'dot-unstuffed body');
  });

  it('records plaintext sessions as not secure', async () => {
    const result = await sendMail({ port: sink.port, ignoreTLS: true, message });
    assert.ok(result.ok);
    const [received] = await sink.waitForMessages(1, 2000);
    assert.equal(received?.secure, false);
  });

  it('refuses a recipient twice, then accepts it', async () => {
    sink.replyToRcpt('user@rcpt.test', [reply(451, '4.3.0 Try again later'), reply(451, '4.3.0 Try again later'), 'accept']);
    for (let attempt = 1; attempt <= 2; attempt++) {
      const refused = await sendMail({ port: sink.port, message });
      assert.equal(refused.ok, false);
      assert.equal(refused.ok ? 0 : refused.responseCode, 451);
      assert.match(refused.ok ? '' : (refused.response ?? ''), /^451 4\.3\.0 Try again later/);
    }
    const accepted = await sendMail({ port: sink.port, message });
    assert.ok(accepted.ok);
    assert.equal(sink.messages.length, 1);
    assert.deepEqual(sink.attempts.filter((a) => a.stage === 'rcpt').map((a) => a.code), [451, 451, 250]);
  });

  it('scripts one recipient without touching the others', async () => {
    sink.replyToRcpt('GONE@rcpt.test', reply(550, '5.1.1 No such user'));
    const result = await sendMail({ port: sink.port, message: { ...message, to: ['gone@rcpt.test', 'here@rcpt.test'] } });
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(result.info.rejected, ['gone@rcpt.test']);
    const [received] = await sink.waitForMessages(1);
    assert.deepEqual(received?.envelope.rcptTo, ['here@rcpt.test']);
  });

  it('applies a wildcard recipient script', async () => {
    sink.replyToRcpt('*', reply(550, '5.7.1 Relaying denied'));
    const result = await sendMail({ port: sink.port, message });
    assert.equal(result.ok ? 0 : result.responseCode, 550);
  });

  it('can refuse at MAIL FROM and at DATA', async () => {
    sink.replyToMailFrom(reply(421, '4.7.0 Go away'));
    const atMail = await sendMail({ port: sink.port, message });
    assert.equal(atMail.ok ? 0 : atMail.responseCode, 421);
    sink.resetReplies();
    sink.replyToData([reply(554, '5.6.0 Content rejected'), 'accept']);
    const atData = await sendMail({ port: sink.port, message });
    assert.equal(atData.ok ? 0 : atData.responseCode, 554);
    assert.equal(atData.ok ? '' : atData.command, 'DATA');
    assert.equal(sink.messages.length, 0);
    assert.ok((await sendMail({ port: sink.port, message })).ok);
    assert.equal(sink.messages.length, 1);
  });

  it('authenticates configured users after TLS', async () => {
    const good = await sendMail({ port: sink.port, auth: { user: 'alice', pass: 's3cret' }, message });
    assert.ok(good.ok, JSON.stringify(good));
    const [received] = await sink.waitForMessages(1);
    assert.equal(received?.user, 'alice');
    const bad = await sendMail({ port: sink.port, auth: { user: 'alice', pass: 'wrong' }, message });
    assert.equal(bad.ok ? 0 : bad.responseCode, 535);
  });

  it('times out waiting for messages that never come', async () => {
    await assert.rejects(sink.waitForMessages(1, 100), /1 message\(s\) at the SMTP sink/);
  });
});

describe('startSmtpSink variants', () => {
  it('speaks implicit TLS', async () => {
    const sink = await startSmtpSink({ secure: true });
    try {
      const result = await sendMail({ port: sink.port, secure: true, ca: sink.cert, message });
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal((await sink.waitForMessages(1))[0]?.secure, true);
    } finally {
      await sink.close();
    }
  });

  it('can run without STARTTLS, so requireTLS clients give up', async () => {
    const sink = await startSmtpSink({ tls: false });
    try {
      assert.equal(sink.cert, undefined);
      const result = await sendMail({ port: sink.port, requireTLS: true, message });
      assert.equal(result.ok, false);
      assert.equal(sink.messages.length, 0);
    } finally {
      await sink.close();
    }
  });

  it('refuses messages over the SIZE limit', async () => {
    const sink = await startSmtpSink({ size: 1024 });
    try {
      const result = await sendMail({ port: sink.port, message: { ...message, text: 'x'.repeat(4096) } });
      assert.equal(result.ok ? 0 : result.responseCode, 552);
    } finally {
      await sink.close();
    }
  });
});
