import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { upsertChange } from '@smarthost/relay-policy';
import { baseSnapshot, credential, PASSWORDS, tenant } from '../test/fixtures';
import { authPlain, SmtpSessions } from '../test/smtp-sessions';
import { startTestBed, type RelayTestBed } from '../test/test-relay';

describe('protocol abuse is refused on the wire', () => {
  let bed: RelayTestBed;
  const sessions = new SmtpSessions();

  before(async () => {
    bed = await startTestBed({
      snapshot: baseSnapshot({ tenants: [tenant('t-acme', {}, { recipientsPerMessage: 3 }), tenant('t-globex')] }),
      env: { AUTH_MAX_FAILURES_PER_CONNECTION: '3', AUTH_TARPIT_STEP_MS: '0' },
    });
  });
  after(async () => {
    await sessions.closeAll();
    await bed.close();
  });

  const connect = (port: number, tls = false) => sessions.connect(port, { tls });
  const authenticated = () => sessions.authenticated(bed.relay.ports.submissions);

  it('commands pipelined with STARTTLS are discarded, not executed after the handshake (RFC 3207 §4.2)', async () => {
    const client = await connect(bed.relay.ports.submission);
    await client.command('EHLO client.test');
    client.write(`STARTTLS\r\nAUTH PLAIN ${authPlain('acme-app', PASSWORDS.acme)}\r\nMAIL FROM:<a@acme.test>\r\n`);
    assert.equal((await client.read()).code, 220);
    const leftover = await client.startTls();
    assert.equal(leftover, '', 'no reply to the injected plaintext');
    const ehlo = await client.command('EHLO client.test');
    assert.equal(ehlo.code, 250, 'the first reply under TLS answers our EHLO, not an injected command');
    // The injected AUTH did not run: the session is still unauthenticated.
    assert.equal((await client.command('MAIL FROM:<a@acme.test>')).code, 530);
  });

  it('AUTH before STARTTLS on 587 is not advertised and answers 530 5.7.0 Must issue a STARTTLS command first; after STARTTLS it works', async () => {
    const client = await connect(bed.relay.ports.submission);
    const ehlo = await client.command('EHLO client.test');
    assert.ok(!ehlo.lines.some((l) => l.startsWith('AUTH')), 'AUTH not offered in plaintext');
    const reply = await client.command(`AUTH PLAIN ${authPlain('acme-app', PASSWORDS.acme)}`);
    // RFC 3207 §4: the reply a client that skipped STARTTLS must see.
    assert.equal(reply.code, 530, reply.raw);
    assert.equal(reply.lines[0], '5.7.0 Must issue a STARTTLS command first');
    const mail = await client.command('MAIL FROM:<a@acme.test>');
    assert.equal(mail.code, 530);
    assert.match(mail.lines[0] ?? '', /^5\.7\.0 /);
    assert.equal((await client.command('STARTTLS')).code, 220);
    await client.startTls();
    const secureEhlo = await client.command('EHLO client.test');
    assert.ok(secureEhlo.lines.some((l) => l.startsWith('AUTH PLAIN LOGIN')), 'AUTH offered under TLS');
    assert.equal((await client.command(`AUTH PLAIN ${authPlain('acme-app', PASSWORDS.acme)}`)).code, 235);
  });

  it('repeated bad AUTH: the connection is cut after the third failure', async () => {
    const client = await connect(bed.relay.ports.submissions, true);
    await client.command('EHLO client.test');
    assert.equal((await client.command(`AUTH PLAIN ${authPlain('acme-app', 'guess-1')}`)).code, 535);
    assert.equal((await client.command(`AUTH PLAIN ${authPlain('acme-app', 'guess-2')}`)).code, 535);
    const third = await client.command(`AUTH PLAIN ${authPlain('acme-app', 'guess-3')}`);
    assert.equal(third.code, 421);
    assert.match(third.lines[0] ?? '', /^4\.7\.0 /);
    await assert.rejects(client.command('NOOP'), /closed/);
  });

  it('bare LF before the end of data (smuggling) on submission: normalised, the smuggled message is never queued', async () => {
    const before = (await bed.deliveryJobs()).length;
    const client = await authenticated();
    await client.command('MAIL FROM:<a@acme.test>');
    await client.command('RCPT TO:<x@example.org>');
    assert.equal((await client.command('DATA')).code, 354);
    // `\n.\n` ends DATA for some receivers; what follows would be read as a second, smuggled message. Here the
    // authenticated client's bare LFs become CRLF: `.` is a content line the delivery client dot-stuffs.
    client.write('From: a@acme.test\r\nSubject: one\r\n\r\nbody\n.\nMAIL FROM:<ceo@globex.test>\r\nRCPT TO:<victim@example.org>\r\nDATA\r\nFrom: ceo@globex.test\r\n\r\nsmuggled\r\n.\r\n');
    const reply = await client.read();
    assert.equal(reply.code, 250, reply.raw);
    const jobs = await bed.deliveryJobs();
    assert.equal(jobs.length, before + 1, 'one message, not two');
    assert.ok(!jobs.some((job) => job.data.recipients.some((r) => r.address === 'victim@example.org')));
    assert.equal((await client.command('NOOP')).code, 250, 'the session goes on in command mode');
  });

  it('bare LF before the end of data (smuggling) on port 25 is refused with 550 5.6.11 and nothing is queued', async () => {
    const before = (await bed.deliveryJobs()).length;
    const client = await connect(bed.relay.ports.inbound);
    await client.command('EHLO mx.example.org');
    await client.command('MAIL FROM:<someone@example.org>');
    assert.equal((await client.command('RCPT TO:<support@acme.test>')).code, 250);
    assert.equal((await client.command('DATA')).code, 354);
    client.write('From: someone@example.org\r\n\r\nbody\n.\nMAIL FROM:<ceo@globex.test>\r\nRCPT TO:<victim@example.org>\r\nDATA\r\n\r\nsmuggled\r\n.\r\n');
    const reply = await client.read();
    assert.equal(reply.code, 550);
    assert.match(reply.lines[0] ?? '', /^5\.6\.11 /);
    assert.equal((await bed.deliveryJobs()).length, before);
    assert.equal((await client.command('NOOP')).code, 250, 'the session goes on in command mode');
  });

  it('bare CR and NUL in the body are refused with 550 5.6.11', async () => {
    for (const body of ['line\rbreak', 'nul\0byte']) {
      const client = await authenticated();
      await client.command('MAIL FROM:<a@acme.test>');
      await client.command('RCPT TO:<x@example.org>');
      await client.command('DATA');
      const reply = await client.command(`From: a@acme.test\r\n\r\n${body}\r\n.`);
      assert.equal(reply.code, 550, body);
      assert.match(reply.lines[0] ?? '', /^5\.6\.11 /);
    }
  });

  it('replies to a pipelined RSET, MAIL, RCPT, DATA group leave as one unit, after the quota check (RFC 2920 §3.2)', async () => {
    const client = await authenticated();
    const before = client.chunksReceived;
    client.write('RSET\r\nMAIL FROM:<a@acme.test>\r\nRCPT TO:<x@example.org>\r\nDATA\r\n');
    const codes = [];
    for (let i = 0; i < 4; i += 1) codes.push((await client.read()).code);
    assert.deepEqual(codes, [250, 250, 250, 354]);
    assert.equal(client.chunksReceived - before, 1, 'one TLS record, not the RSET and MAIL replies ahead of the rest');
    assert.equal((await client.command('From: a@acme.test\r\n\r\nhi\r\n.')).code, 250);
  });

  it('too many recipients: 452 4.5.3 beyond the tenant limit, the first ones stay accepted', async () => {
    const client = await authenticated();
    await client.command('MAIL FROM:<a@acme.test>');
    for (const n of [1, 2, 3]) assert.equal((await client.command(`RCPT TO:<r${n}@example.org>`)).code, 250);
    const fourth = await client.command('RCPT TO:<r4@example.org>');
    assert.equal(fourth.code, 452);
    assert.match(fourth.lines[0] ?? '', /^4\.5\.3 /);
    assert.equal((await client.command('DATA')).code, 354);
    const done = await client.command('From: a@acme.test\r\n\r\nhi\r\n.');
    assert.equal(done.code, 250);
    const id = /queued as (\S+)/.exec(done.lines[0] ?? '')?.[1] as string;
    assert.equal((await bed.deliveryQueue.getJob(id))?.data.recipients.length, 3);
  });

  it('a credential disabled mid-session stops that session at the next command', async () => {
    const client = await connect(bed.relay.ports.submissions, true);
    await client.command('EHLO client.test');
    assert.equal((await client.command(`AUTH PLAIN ${authPlain('globex-app', PASSWORDS.globex)}`)).code, 235);
    assert.equal((await client.command('MAIL FROM:<a@globex.test>')).code, 250);
    const delta = bed.api.push(upsertChange('credential', credential('c-globex', 't-globex', 'globex-app', PASSWORDS.globex, { status: 'disabled' })));
    await bed.waitForPolicyVersion(delta.toVersion);
    assert.equal((await client.command('RCPT TO:<x@example.org>')).code, 535);
    assert.equal((await client.command('RSET')).code, 250);
    assert.equal((await client.command('MAIL FROM:<a@globex.test>')).code, 535);
  });
});
