import assert from 'node:assert/strict';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { messageBytes, parseDeliveryJob } from '@smarthost/queues';
import type { RawSmtpClient } from '@smarthost/testkit';
import { SmtpSessions } from '../test/smtp-sessions';
import { RELAY_HOSTNAME, startTestBed, type RelayTestBed } from '../test/test-relay';

/** A TLS 1.2 socket (TLS 1.3 has no renegotiation) to 465, or to 587/25 after STARTTLS, past the greeting. */
async function tls12(port: number, starttls: boolean): Promise<TLSSocket> {
  const tcp = netConnect({ host: '127.0.0.1', port });
  const lines: string[] = [];
  const waitFor = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        lines.push(chunk.toString('latin1'));
        if (pattern.test(lines.join(''))) {
          tcp.off('data', onData);
          resolve();
        }
      };
      tcp.on('data', onData).once('error', reject);
    });
  if (starttls) {
    await waitFor(/^220 /m);
    tcp.write('EHLO client.test\r\n');
    await waitFor(/^250 /m);
    lines.length = 0;
    tcp.write('STARTTLS\r\n');
    await waitFor(/^220 /m);
  }
  const secure = tlsConnect({ socket: tcp, rejectUnauthorized: false, maxVersion: 'TLSv1.2' });
  await new Promise<void>((resolve, reject) => secure.once('secureConnect', resolve).once('error', reject));
  return secure;
}

describe('protocol conformance at the edge (RFC 3207, RFC 5322, Postfix always_add_missing_headers)', () => {
  let bed: RelayTestBed;
  const sessions = new SmtpSessions();

  before(async () => {
    bed = await startTestBed();
  });
  after(async () => {
    await sessions.closeAll();
    await bed.close();
  });

  /** An authenticated implicit-TLS session at DATA for a@acme.test → x@example.org. */
  async function atData(): Promise<RawSmtpClient> {
    const client = await sessions.authenticated(bed.relay.ports.submissions);
    assert.equal((await client.command('MAIL FROM:<a@acme.test>')).code, 250);
    assert.equal((await client.command('RCPT TO:<x@example.org>')).code, 250);
    assert.equal((await client.command('DATA')).code, 354);
    return client;
  }

  async function queued(reply: { code: number; lines: string[]; raw: string }) {
    assert.equal(reply.code, 250, reply.raw);
    const id = /queued as (\S+)/.exec(reply.lines[0] ?? '')?.[1] as string;
    const job = await bed.deliveryQueue.getJob(id);
    assert.ok(job, `job ${id} queued`);
    return { id, job: parseDeliveryJob(job.data) };
  }

  for (const [name, port, starttls] of [
    ['465', 'submissions', false],
    ['587 after STARTTLS', 'submission', true],
    ['25 after STARTTLS', 'inbound', true],
  ] as const) {
    it(`TLS renegotiation is refused on ${name}`, async () => {
      const socket = await tls12(bed.relay.ports[port], starttls);
      const closed = new Promise<boolean>((resolve) => socket.once('close', () => resolve(true)));
      socket.on('error', () => undefined);
      // OpenSSL answers a renegotiating ClientHello with an alert and the session ends: the client's callback may
      // or may not run, so what counts is that the server goes away instead of carrying on.
      socket.renegotiate({ rejectUnauthorized: false }, () => undefined);
      const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5000).unref());
      assert.equal(await Promise.race([closed, timeout]), true, 'the connection was closed');
    });
  }

  it('submission: a line over 998 octets is refused 550 5.6.0; 998 octets pass', async () => {
    const long = await atData();
    const refused = await long.command(`From: a@acme.test\r\nSubject: long\r\n\r\n${'x'.repeat(999)}\r\n.`);
    assert.equal(refused.code, 550);
    assert.match(refused.lines[0] ?? '', /^5\.6\.0 /);
    const fits = await atData();
    await queued(await fits.command(`From: a@acme.test\r\nSubject: fits\r\n\r\n${'x'.repeat(998)}\r\n.`));
  });

  it('submission: a missing Date and Message-ID are added (Message-ID under the relay host name); present ones are kept', async () => {
    const bare = await atData();
    const { id, job } = await queued(await bare.command('From: a@acme.test\r\nSubject: no date\r\n\r\nhi\r\n.'));
    const raw = messageBytes(job).toString('latin1');
    assert.match(raw, /\r\nDate: \w{3}, \d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d \+0000\r\n/);
    assert.ok(raw.includes(`\r\nMessage-ID: <${id}@${RELAY_HOSTNAME}>\r\n`), raw);

    const complete = await atData();
    const sent = 'Date: Mon, 30 Nov 2026 10:00:00 +0100\r\nMessage-ID: <mine@client.test>\r\nFrom: a@acme.test\r\n\r\nhi\r\n';
    const kept = messageBytes((await queued(await complete.command(`${sent}.`))).job).toString('latin1');
    assert.ok(kept.endsWith(sent));
    assert.equal(kept.match(/^(Date|Message-ID):/gim)?.length, 2, 'nothing added');
  });

  it('submission: bare LF is normalised to CRLF, so a smuggling attempt stays one message of plain content', async () => {
    const client = await atData();
    const reply = await client.command('From: a@acme.test\nSubject: one\n\nbody\n.\nMAIL FROM:<ceo@globex.test>\nRCPT TO:<victim@example.org>\r\n.');
    const { job } = await queued(reply);
    assert.deepEqual(job.recipients.map((r) => r.address), ['x@example.org']);
    const raw = messageBytes(job).toString('latin1');
    assert.ok(raw.endsWith('From: a@acme.test\r\nSubject: one\r\n\r\nbody\r\n.\r\nMAIL FROM:<ceo@globex.test>\r\nRCPT TO:<victim@example.org>\r\n'), raw);
    assert.ok(!/[^\r]\n/.test(raw), 'every LF is part of a CRLF');
    assert.equal((await bed.deliveryJobs()).filter((j) => j.data.recipients.some((r) => r.address === 'victim@example.org')).length, 0);
  });
});
