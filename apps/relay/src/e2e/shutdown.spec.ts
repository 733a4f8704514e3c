import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rawSmtp } from '@smarthost/testkit';
import { PASSWORDS } from '../test/fixtures';
import { startTestBed, type RelayTestBed } from '../test/test-relay';

const plain = (user: string, pass: string) => Buffer.from(`\0${user}\0${pass}`).toString('base64');

describe('graceful shutdown', () => {
  let bed: RelayTestBed;
  before(async () => {
    bed = await startTestBed({ env: { SHUTDOWN_GRACE_SECONDS: '5' } });
  });
  after(() => bed.close());

  // smtp-server's close: no new connections, and commands after it get 421, but a message being streamed
  // completes and is answered, so no client loses a message it already started to send.
  it('stops accepting connections but lets a message in transfer finish', async () => {
    const node = await bed.startNode();
    const client = await rawSmtp('127.0.0.1', node.ports.submissions, { tls: true });
    await client.read();
    await client.command('EHLO client.test');
    await client.command(`AUTH PLAIN ${plain('acme-app', PASSWORDS.acme)}`);
    assert.equal((await client.command('MAIL FROM:<a@acme.test>')).code, 250);
    assert.equal((await client.command('RCPT TO:<x@example.org>')).code, 250);
    assert.equal((await client.command('DATA')).code, 354);
    client.write('From: a@acme.test\r\n\r\nlast ');
    const closing = node.close();
    await assert.rejects(rawSmtp('127.0.0.1', node.ports.submissions, { tls: true, timeoutMs: 1000 }));
    const done = await client.command('one\r\n.');
    assert.equal(done.code, 250);
    const id = /queued as (\S+)/.exec(done.lines[0] ?? '')?.[1] as string;
    assert.ok(await bed.deliveryQueue.getJob(id));
    assert.equal((await client.command('NOOP')).code, 421, 'no new commands once closing');
    await client.close();
    await closing;
  });
});
