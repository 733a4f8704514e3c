import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { SmtpPool } from './smtp-pool';
import type { SmtpTarget } from './smtp-client';
import { runTransaction } from './smtp-transaction';

/**
 * A plain SMTP server (RFC 5321, no extensions) that records every command line, to see what the pool sends
 * between transactions. RCPT to refused@… gets 550. With `dropOnMail: n` it drops a connection, without a reply,
 * at its n-th MAIL (a server that closed a session we had not yet seen closed).
 */
function recordingServer(commands: string[], options: { dropOnMail?: number } = {}): Server {
  return createServer((socket) => {
    let inData = false;
    let buffered = '';
    let mails = 0;
    socket.write('220 recorder.test ESMTP\r\n');
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      for (let end = buffered.indexOf('\r\n'); end >= 0; end = buffered.indexOf('\r\n')) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            socket.write('250 2.0.0 queued\r\n');
          }
          continue;
        }
        commands.push(line.split(/[ :]/)[0]?.toUpperCase() ?? '');
        if (/^MAIL/i.test(line) && ++mails === options.dropOnMail) {
          socket.destroy();
          return;
        }
        if (/^(EHLO|HELO)/i.test(line)) socket.write('250 recorder.test\r\n');
        else if (/^RCPT TO:<refused@/i.test(line)) socket.write('550 5.1.1 no such user\r\n');
        else if (/^DATA/i.test(line)) {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (/^QUIT/i.test(line)) socket.end('221 bye\r\n');
        else socket.write('250 2.0.0 ok\r\n');
      }
    });
  });
}

describe('SmtpPool session reuse', () => {
  const commands: string[] = [];
  const server = recordingServer(commands);
  let target: SmtpTarget;
  const message = Buffer.from('Subject: pool test\r\n\r\nhello\r\n');
  const pool = (verifyAfterMs: number) => new SmtpPool({ heloName: 'relay.test', connectTimeoutMs: 2000, socketTimeoutMs: 2000, perTargetLimit: 1, idleMs: 5000, verifyAfterMs });

  before(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    target = { address: '127.0.0.1', port: (server.address() as AddressInfo).port, hostname: 'mx.recorder.test', tls: 'opportunistic' };
  });
  beforeEach(() => (commands.length = 0));
  after(() => new Promise((resolve) => server.close(resolve)));

  // The previous test's pool QUITs its session asynchronously.
  const sent = () => commands.filter((command) => command !== 'QUIT');
  const send = (smtp: SmtpPool, to: string) => smtp.use(target, (client) => runTransaction(client, 'sender@example.com', [to], message));

  it('starts the next transaction on a session that just delivered without an RSET round trip', async () => {
    const smtp = pool(60_000);
    await send(smtp, 'a@dest.test');
    await send(smtp, 'b@dest.test');
    smtp.close();
    assert.deepEqual(sent(), ['EHLO', 'MAIL', 'RCPT', 'DATA', 'MAIL', 'RCPT', 'DATA']);
  });

  it('sends RSET before reusing a session whose last transaction was refused', async () => {
    const smtp = pool(60_000);
    const refused = await send(smtp, 'refused@dest.test');
    assert.equal(refused.get('refused@dest.test')?.status, 'bounced');
    await send(smtp, 'b@dest.test');
    smtp.close();
    assert.deepEqual(sent().slice(0, 6), ['EHLO', 'MAIL', 'RCPT', 'RSET', 'MAIL', 'RCPT']);
  });

  it('sends RSET before reusing a session that has been quiet for longer than verifyAfterMs', async () => {
    const smtp = pool(10);
    await send(smtp, 'a@dest.test');
    await new Promise((resolve) => setTimeout(resolve, 30));
    await send(smtp, 'b@dest.test');
    smtp.close();
    assert.deepEqual(sent().slice(0, 6), ['EHLO', 'MAIL', 'RCPT', 'DATA', 'RSET', 'MAIL']);
  });

  it('tries a fresh session once when a session reused without RSET turns out to be gone', async () => {
    const dropped: string[] = [];
    const dropping = recordingServer(dropped, { dropOnMail: 2 });
    dropping.listen(0, '127.0.0.1');
    await once(dropping, 'listening');
    const gone = { ...target, port: (dropping.address() as AddressInfo).port };
    const smtp = pool(60_000);
    try {
      const send = (to: string) => smtp.use(gone, (client) => runTransaction(client, 'sender@example.com', [to], message));
      assert.equal((await send('a@dest.test')).get('a@dest.test')?.status, 'delivered');
      assert.equal((await send('b@dest.test')).get('b@dest.test')?.status, 'delivered', 'delivered on a new session, not deferred');
      assert.deepEqual(dropped.filter((command) => command !== 'QUIT'), ['EHLO', 'MAIL', 'RCPT', 'DATA', 'MAIL', 'EHLO', 'MAIL', 'RCPT', 'DATA']);
    } finally {
      smtp.close();
      await new Promise((resolve) => dropping.close(resolve));
    }
  });
});
