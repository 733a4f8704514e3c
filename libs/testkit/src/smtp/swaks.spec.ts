import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { reply } from './reply-script';
import { SmtpSink, startSmtpSink } from './smtp-sink';
import { lastReplyCode, replyCodes, swaks } from './swaks';

describe('swaks against the SMTP sink', () => {
  let sink: SmtpSink;
  before(async () => {
    sink = await startSmtpSink();
  });
  after(() => sink.close());
  beforeEach(() => {
    sink.resetReplies();
    sink.clearMessages();
  });

  const args = (...extra: string[]) => [
    '--server', '127.0.0.1', '--port', String(sink.port), '--from', 'swaks@sender.test', '--to', 'user@rcpt.test',
    '--helo', 'swaks.test', ...extra,
  ];

  it('delivers over STARTTLS', async () => {
    const result = await swaks(args('--tls', '--header', 'Subject: via swaks'));
    assert.equal(result.exitCode, 0, result.transcript);
    assert.match(result.transcript, /~> MAIL FROM:<swaks@sender\.test>/);
    assert.equal(lastReplyCode(result.transcript), 250);
    const [message] = await sink.waitForMessages(1);
    assert.equal(message?.secure, true);
    assert.equal(message?.heloName, 'swaks.test');
    assert.match(message?.raw.toString() ?? '', /^Subject: via swaks\r$/m);
  });

  it('reports a refused recipient', async () => {
    sink.replyToRcpt('user@rcpt.test', reply(550, '5.1.1 No such user'));
    const result = await swaks(args());
    assert.equal(result.exitCode, 24, result.transcript);
    assert.equal(lastReplyCode(result.transcript), 550);
    assert.equal(sink.messages.length, 0);
  });

  it('reports a refusal of the message after DATA', async () => {
    sink.replyToData(reply(451, '4.3.0 Try later'));
    const result = await swaks(args());
    assert.equal(result.exitCode, 26, result.transcript);
    assert.equal(lastReplyCode(result.transcript), 451);
  });
});

describe('transcript parsing', () => {
  const transcript = [
    '=== Trying 127.0.0.1:2525...',
    '<-  220 sink.test ESMTP',
    ' -> EHLO swaks.test',
    '<-  250-sink.test Nice to meet you',
    '<-  250-PIPELINING',
    '<-  250 STARTTLS',
    ' -> STARTTLS',
    '<-  220 Ready to start TLS',
    ' ~> MAIL FROM:<a@b.test>',
    '<~  250 Accepted',
    ' ~> RCPT TO:<c@d.test>',
    // What swaks prints for an error reply under TLS (`<**` in plain text).
    '<~* 550 5.1.1 No such user',
    ' ~> QUIT',
    '<~  221 Bye',
  ].join('\n');

  it('lists one code per reply', () => {
    assert.deepEqual(replyCodes(transcript), [220, 250, 220, 250, 550, 221]);
  });

  it('gives the last reply before QUIT', () => {
    assert.equal(lastReplyCode(transcript), 550);
    assert.equal(lastReplyCode('nothing here'), undefined);
  });
});
