import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rawSmtp } from './raw-smtp';
import { SmtpSink, startSmtpSink } from './smtp-sink';

describe('rawSmtp against a real SMTP server', () => {
  let sink: SmtpSink;
  before(async () => {
    sink = await startSmtpSink();
  });
  after(() => sink.close());

  it('reads the greeting and multi-line EHLO replies', async () => {
    const client = await rawSmtp('127.0.0.1', sink.port);
    try {
      const greeting = await client.read();
      assert.equal(greeting.code, 220);
      const ehlo = await client.command('EHLO raw.test');
      assert.equal(ehlo.code, 250);
      assert.ok(ehlo.lines.includes('STARTTLS'), ehlo.raw);
      assert.ok(ehlo.lines.length > 1);
    } finally {
      await client.close();
    }
  });

  it('upgrades in place with STARTTLS and completes a transaction over TLS', async () => {
    const client = await rawSmtp('127.0.0.1', sink.port, { ca: sink.cert });
    try {
      await client.read();
      await client.command('EHLO raw.test');
      assert.equal((await client.command('STARTTLS')).code, 220);
      assert.equal(client.secure, false);
      assert.equal(await client.startTls(), '');
      assert.equal(client.secure, true);
      const ehlo = await client.command('EHLO raw.test');
      assert.ok(!ehlo.lines.includes('STARTTLS'), 'STARTTLS is not offered twice');
      assert.equal((await client.command('MAIL FROM:<raw@sender.test>')).code, 250);
      assert.equal((await client.command('RCPT TO:<someone@rcpt.test>')).code, 250);
      assert.equal((await client.command('DATA')).code, 354);
      client.write('Subject: raw\r\n\r\n..dot-stuffed line\r\n.\r\n');
      assert.equal((await client.read()).code, 250);
      const [message] = await sink.waitForMessages(1);
      assert.equal(message?.secure, true);
      assert.match(message?.raw.toString() ?? '', /^\.dot-stuffed line\r$/m);
      assert.equal((await client.command('QUIT')).code, 221);
    } finally {
      await client.close();
    }
  });

  it('reads pipelined replies in order', async () => {
    const client = await rawSmtp('127.0.0.1', sink.port);
    try {
      await client.read();
      client.write('EHLO raw.test\r\nMAIL FROM:<a@b.test>\r\nRSET\r\nNOOP\r\n');
      const codes = [(await client.read()).code, (await client.read()).code, (await client.read()).code, (await client.read()).code];
      assert.deepEqual(codes, [250, 250, 250, 250]);
    } finally {
      await client.close();
    }
  });

  it('rejects a read when the server hangs up, and on timeout', async () => {
    const client = await rawSmtp('127.0.0.1', sink.port, { timeoutMs: 100 });
    // smtp-server holds the greeting ~100 ms to catch clients that talk first.
    await client.read(2000);
    await assert.rejects(client.read(), /no SMTP reply within 100 ms/);
    assert.equal((await client.command('QUIT')).code, 221);
    await assert.rejects(client.read(1000), /connection closed by server/);
    assert.equal(client.closed, true);
  });
});
