import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rawSmtp, sendMail } from '@smarthost/testkit';
import { PASSWORDS } from '../test/fixtures';
import { TcpProxy } from '../test/tcp-proxy';
import { startTestBed, type RelayTestBed } from '../test/test-relay';
import type { RunningRelay } from '../start-relay';

describe('Redis unavailable: 451 4.3.0 and nothing half-accepted', () => {
  let bed: RelayTestBed;
  let proxy: TcpProxy;
  let node: RunningRelay;
  let target: URL;

  before(async () => {
    bed = await startTestBed();
    target = new URL(bed.redis.url);
    proxy = await new TcpProxy(target.hostname, Number(target.port || 6379)).start();
    node = await bed.startNode({ REDIS_URL: `redis://127.0.0.1:${proxy.port}` });
  });
  after(async () => {
    await proxy.stop();
    await bed.close();
  });

  it('works through the proxy while Redis is there', async () => {
    const result = await sendMail({
      port: node.ports.inbound,
      message: { from: 'someone@example.org', to: 'support@acme.test', subject: 'hi', text: 'one' },
    });
    assert.ok(result.ok, result.ok ? '' : result.response);
  });

  it('DATA answers 451 4.3.0 when Redis goes away after RCPT, and no job appears; the next RCPT answers 451 too', async () => {
    const before = (await bed.deliveryJobs()).length;
    const client = await rawSmtp('127.0.0.1', node.ports.inbound);
    await client.read();
    await client.command('EHLO mx.example.org');
    assert.equal((await client.command('MAIL FROM:<someone@example.org>')).code, 250);
    assert.equal((await client.command('RCPT TO:<support@acme.test>')).code, 250);
    await proxy.stop();
    assert.equal((await client.command('DATA')).code, 354);
    const reply = await client.command('From: someone@example.org\r\n\r\nlost?\r\n.', 10_000);
    assert.equal(reply.code, 451);
    assert.match(reply.lines[0] ?? '', /^4\.3\.0 /);
    // Port 25 reads the tenant's inbound counters at its first RCPT: without Redis, nothing gets that far.
    assert.equal((await client.command('MAIL FROM:<someone@example.org>')).code, 250);
    const rcpt = await client.command('RCPT TO:<support@acme.test>', 10_000);
    assert.deepEqual([rcpt.code, rcpt.lines[0]?.slice(0, 6)], [451, '4.3.0 ']);
    await client.close();
    assert.equal((await bed.deliveryJobs()).length, before);
  });

  it('submission: AUTH and quota need Redis, so they answer 4xx instead of guessing', async () => {
    const result = await sendMail({
      port: node.ports.submissions,
      secure: true,
      auth: { user: 'acme-app', pass: PASSWORDS.acme },
      message: { from: 'a@acme.test', to: 'x@example.org', subject: 's', text: 'x' },
    });
    assert.equal(result.ok, false);
    assert.equal(result.ok ? 0 : Math.floor((result.responseCode ?? 0) / 100), 4, result.ok ? '' : result.response);
  });

  it('a Redis that stops answering: RCPT and DATA answer 451 4.3.0 after the command timeout, nothing queued', async () => {
    const before = (await bed.deliveryJobs()).length;
    const hanging = await new TcpProxy(target.hostname, Number(target.port || 6379)).start();
    const slow = await bed.startNode({ REDIS_URL: `redis://127.0.0.1:${hanging.port}`, REDIS_COMMAND_TIMEOUT_MS: '300' });
    const client = await rawSmtp('127.0.0.1', slow.ports.submissions, { tls: true });
    try {
      await client.read();
      await client.command('EHLO client.test');
      assert.equal((await client.command(`AUTH PLAIN ${Buffer.from(`\0acme-app\0${PASSWORDS.acme}`).toString('base64')}`)).code, 235);
      assert.equal((await client.command('MAIL FROM:<a@acme.test>')).code, 250);
      assert.equal((await client.command('RCPT TO:<x@example.org>')).code, 250, 'counted while Redis answers');
      hanging.stall();
      assert.equal((await client.command('DATA')).code, 354);
      const data = await client.command('From: a@acme.test\r\n\r\nstuck?\r\n.');
      assert.deepEqual([data.code, data.lines[0]?.slice(0, 6)], [451, '4.3.0 ']);
      assert.equal((await client.command('MAIL FROM:<a@acme.test>')).code, 250);
      const rcpt = await client.command('RCPT TO:<y@example.org>');
      assert.deepEqual([rcpt.code, rcpt.lines[0]?.slice(0, 6)], [451, '4.3.0 ']);
    } finally {
      await client.close();
      await hanging.stop();
    }
    assert.equal((await bed.deliveryJobs()).length, before);
  });

  it('/readyz reports Redis unavailable with 503', async () => {
    const response = await fetch(`http://127.0.0.1:${node.ports.health}/readyz`);
    assert.equal(response.status, 503);
    assert.equal(((await response.json()) as { redis: string }).redis, 'unavailable');
  });
});
