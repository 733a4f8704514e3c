import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { rawSmtp, waitFor, type RawSmtpClient } from '@smarthost/testkit';
import { PASSWORDS } from '../test/fixtures';
import { authPlain } from '../test/smtp-sessions';
import { startTestBed, type RelayTestBed } from '../test/test-relay';

const IDLE_SOCKETS = 1000;
const PER_CLIENT = 50;
const LINE_SECONDS = 3;
/** Generous for a loaded 2-core machine that also runs the 2,000 attacking sockets in this process. */
const SERVED_WITHIN_MS = 2000;

/** A plain TCP socket that sends nothing and records what the server sends and whether it closed. */
interface Idle {
  socket: Socket;
  received: string;
  closed: boolean;
}

function idleSocket(port: number, localAddress: string): Promise<Idle> {
  return new Promise((resolve, reject) => {
    const idle: Idle = { socket: connect({ host: '127.0.0.1', port, localAddress }), received: '', closed: false };
    idle.socket.on('data', (chunk) => (idle.received += chunk.toString('latin1')));
    idle.socket.on('error', () => undefined);
    idle.socket.on('close', () => (idle.closed = true));
    idle.socket.once('connect', () => resolve(idle));
    idle.socket.once('error', reject);
  });
}

describe('admission per client: one address cannot shut the others out', () => {
  let bed: RelayTestBed;
  const open: RawSmtpClient[] = [];
  const idle: Idle[] = [];

  before(async () => {
    // Both ends of 2,000 sockets live in this process, next to the relay's own descriptors.
    const soft = Number(/^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1] ?? 0);
    assert.ok(soft >= 4 * IDLE_SOCKETS + 1000, `ulimit -n is ${soft}: raise it to at least ${4 * IDLE_SOCKETS + 1000} for this test`);
    bed = await startTestBed({
      env: {
        CLIENT_MAX_CONNECTIONS: String(PER_CLIENT),
        CLIENT_MAX_CONNECTIONS_PER_MINUTE: '100000',
        UNAUTHENTICATED_IDLE_SECONDS: '8',
        TLS_HANDSHAKE_SECONDS: '3',
        SMTP_LINE_SECONDS: String(LINE_SECONDS),
      },
    });
  });
  after(async () => {
    for (const socket of idle) socket.socket.destroy();
    await Promise.all(open.map((c) => c.close()));
    await bed.close();
  });

  async function client(port: number, options: { tls?: boolean; localAddress: string }): Promise<RawSmtpClient> {
    const c = await rawSmtp('127.0.0.1', port, options);
    open.push(c);
    return c;
  }

  /** Connect, (STARTTLS,) AUTH and send one message; returns the milliseconds from connect to the final 250. */
  async function submit(port: number, tls: boolean, localAddress: string): Promise<number> {
    const started = Date.now();
    const c = await client(port, { tls, localAddress });
    assert.equal((await c.read()).code, 220);
    assert.equal((await c.command('EHLO client.test')).code, 250);
    if (!tls) {
      assert.equal((await c.command('STARTTLS')).code, 220);
      await c.startTls();
      assert.equal((await c.command('EHLO client.test')).code, 250);
    }
    assert.equal((await c.command(`AUTH PLAIN ${authPlain('acme-app', PASSWORDS.acme)}`)).code, 235);
    assert.equal((await c.command('MAIL FROM:<a@acme.test>')).code, 250);
    assert.equal((await c.command('RCPT TO:<x@example.org>')).code, 250);
    assert.equal((await c.command('DATA')).code, 354);
    const done = await c.command('From: a@acme.test\r\nSubject: through the flood\r\n\r\nhello\r\n.');
    assert.equal(done.code, 250, done.raw);
    return Date.now() - started;
  }

  it('1,000 idle sockets and a slow client from 127.0.0.1 on 587 and 465; 127.0.0.2 is served within the bound', async (t) => {
    const { submission, submissions } = bed.relay.ports;
    // First in line, so it holds one of 127.0.0.1's slots; it trickles once the flood is in place.
    const slow = await client(submission, { localAddress: '127.0.0.1' });
    assert.equal((await slow.read()).code, 220);
    for (const port of [submission, submissions]) {
      const batch = await Promise.all(Array.from({ length: IDLE_SOCKETS }, () => idleSocket(port, '127.0.0.1')));
      idle.push(...batch);
    }
    const slowStarted = Date.now();
    const trickle = (async () => {
      for (const byte of 'EHLO slow.client.test\r\n') {
        if (slow.closed) return;
        slow.write(byte);
        await sleep(1000);
      }
    })();

    const plainIdle = idle.slice(0, IDLE_SOCKETS);
    const tlsIdle = idle.slice(IDLE_SOCKETS);
    // 587: beyond its share, 127.0.0.1 is told why (the slow client holds one slot).
    await waitFor(() => plainIdle.filter((s) => s.received !== '').length === IDLE_SOCKETS, { timeoutMs: 15_000, description: 'every 587 socket answered' });
    const refused = plainIdle.filter((s) => s.received.startsWith('421 '));
    assert.equal(refused.length, IDLE_SOCKETS - (PER_CLIENT - 1));
    assert.match(refused[0]?.received ?? '', /^421 4\.7\.0 \S+ Too many connections from your network/);
    assert.equal(plainIdle.filter((s) => s.received.startsWith('220 ')).length, PER_CLIENT - 1);
    // 465: refused before any TLS work, with a plain close (nothing readable can precede the handshake).
    await waitFor(() => tlsIdle.filter((s) => s.closed).length >= IDLE_SOCKETS - PER_CLIENT, { timeoutMs: 15_000, description: '465 refusals' });
    assert.ok(tlsIdle.every((s) => s.received === ''));

    const onSubmission = await submit(submission, false, '127.0.0.2');
    const onSubmissions = await submit(submissions, true, '127.0.0.2');
    t.diagnostic(`127.0.0.2 served on 587 in ${onSubmission} ms, on 465 in ${onSubmissions} ms`);
    assert.ok(onSubmission < SERVED_WITHIN_MS, `587 took ${onSubmission} ms`);
    assert.ok(onSubmissions < SERVED_WITHIN_MS, `465 took ${onSubmissions} ms`);

    // The slow client: cut at its line deadline, however steadily it trickles, and told why.
    const cut = await slow.read((LINE_SECONDS + 5) * 1000);
    const cutAfter = Date.now() - slowStarted;
    t.diagnostic(`slow client cut after ${cutAfter} ms`);
    assert.equal(cut.code, 421);
    assert.match(cut.lines[0] ?? '', /^4\.4\.2 Command or message line too slow/);
    assert.ok(cutAfter < (LINE_SECONDS + 3) * 1000, `cut after ${cutAfter} ms`);
    await trickle;

    // The admitted idle sockets go too: unauthenticated idle deadline on 587, handshake deadline on 465.
    await waitFor(() => idle.every((s) => s.closed), { timeoutMs: 30_000, description: 'every idle socket closed' });
    assert.ok(plainIdle.some((s) => /421 4\.4\.2 Idle for too long without authentication/.test(s.received)));
  });

  it('too many new connections per minute from one address: 421 4.7.0 with the reason (port 25)', async () => {
    const node = await bed.startNode({ CLIENT_MAX_CONNECTIONS_PER_MINUTE: '3' });
    for (let i = 0; i < 3; i += 1) {
      const c = await client(node.ports.inbound, { localAddress: '127.0.0.4' });
      assert.equal((await c.read()).code, 220);
    }
    const fourth = await client(node.ports.inbound, { localAddress: '127.0.0.4' });
    const refused = await fourth.read();
    assert.equal(refused.code, 421);
    assert.match(refused.lines[0] ?? '', /^4\.7\.0 \S+ Too many new connections from your network per minute/);
    await assert.rejects(fourth.read(), /closed/);
    const other = await client(node.ports.inbound, { localAddress: '127.0.0.5' });
    assert.equal((await other.read()).code, 220, 'another address is not affected');
  });

  it('bad commands before AUTH cut the session with 421 4.7.0 (port 25 and 587)', async () => {
    const inbound = await client(bed.relay.ports.inbound, { localAddress: '127.0.0.6' });
    await inbound.read();
    for (let i = 1; i < 10; i += 1) assert.equal((await inbound.command('MAIL FROM:<a@example.org>')).code, 503, 'no EHLO yet');
    assert.equal((await inbound.command('MAIL FROM:<a@example.org>')).code, 503);
    const cut = await inbound.read();
    assert.equal(cut.code, 421);
    assert.match(cut.lines[0] ?? '', /^4\.7\.0 Too many bad commands/);
    await assert.rejects(inbound.read(), /closed/);

    const submission = await client(bed.relay.ports.submission, { localAddress: '127.0.0.6' });
    await submission.read();
    let reply = await submission.command('XYZZY');
    for (let i = 0; i < 20 && reply.code === 500; i += 1) reply = await submission.command('XYZZY');
    assert.equal(reply.code, 421);
    assert.match(reply.lines[0] ?? '', /^4\.7\.0 .*too many unrecognized commands/i);
  });

  it('DATA below the minimum rate is cut with 421 4.4.2, whole lines or not', async () => {
    const c = await client(bed.relay.ports.submissions, { tls: true, localAddress: '127.0.0.7' });
    await c.read();
    await c.command('EHLO client.test');
    assert.equal((await c.command(`AUTH PLAIN ${authPlain('acme-app', PASSWORDS.acme)}`)).code, 235);
    await c.command('MAIL FROM:<a@acme.test>');
    await c.command('RCPT TO:<x@example.org>');
    assert.equal((await c.command('DATA')).code, 354);
    const started = Date.now();
    let cut;
    for (let i = 0; i < 30 && cut === undefined; i += 1) {
      c.write('x\r\n'); // every line complete, far under 500 bytes a second
      cut = await c.read(700).catch(() => undefined);
    }
    assert.equal(cut?.code, 421);
    assert.match(cut?.lines[0] ?? '', /^4\.4\.2 Message data arriving too slowly/);
    assert.ok(Date.now() - started < (LINE_SECONDS + 4) * 1000);
    assert.equal((await bed.deliveryJobs()).filter((j) => j.data.raw.includes('x\r\nx\r\n')).length, 0, 'nothing queued');
  });

  it('a session is cut at its time limit, even an authenticated busy one', async () => {
    const node = await bed.startNode({ SMTP_SESSION_MAX_SECONDS: '2' });
    const c = await client(node.ports.submissions, { tls: true, localAddress: '127.0.0.8' });
    await c.read();
    await c.command('EHLO client.test');
    assert.equal((await c.command(`AUTH PLAIN ${authPlain('acme-app', PASSWORDS.acme)}`)).code, 235);
    let reply = await c.command('NOOP');
    for (let i = 0; i < 40 && reply.code === 250; i += 1) {
      await sleep(200);
      reply = await c.command('NOOP');
    }
    assert.equal(reply.code, 421);
    assert.match(reply.lines[0] ?? '', /^4\.4\.2 Session time limit reached/);
  });
});
