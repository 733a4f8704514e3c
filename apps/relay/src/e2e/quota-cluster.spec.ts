import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseDeliveryJob } from '@smarthost/queues';
import { rawSmtp, waitFor } from '@smarthost/testkit';
import { LEASE_HEADROOM } from '../limits/quota';
import type { RunningRelay } from '../start-relay';
import { baseSnapshot, PASSWORDS, tenant } from '../test/fixtures';
import { startRelayProcesses, type RelayProcesses } from '../test/relay-processes';
import { startTestBed, type RelayTestBed } from '../test/test-relay';

const plain = (user: string, pass: string) => Buffer.from(`\0${user}\0${pass}`).toString('base64');

/** One connection: AUTH, MAIL, `count` RCPTs, DATA if anything was accepted. Returns the RCPT reply codes. */
async function submit(node: RunningRelay, connection: number, count: number): Promise<number[]> {
  const client = await rawSmtp('127.0.0.1', node.ports.submissions, { tls: true });
  try {
    await client.read();
    await client.command('EHLO client.test');
    assert.equal((await client.command(`AUTH PLAIN ${plain('acme-app', PASSWORDS.acme)}`)).code, 235);
    assert.equal((await client.command('MAIL FROM:<bulk@acme.test>')).code, 250);
    const codes: number[] = [];
    for (let i = 0; i < count; i += 1) codes.push((await client.command(`RCPT TO:<c${connection}r${i}@example.org>`)).code);
    if (codes.includes(250)) {
      assert.equal((await client.command('DATA')).code, 354);
      assert.equal((await client.command('From: bulk@acme.test\r\nSubject: q\r\n\r\nhi\r\n.')).code, 250);
    }
    return codes;
  } finally {
    await client.close();
  }
}

describe('two relay nodes sharing one Redis enforce one quota exactly', () => {
  let bed: RelayTestBed;
  let second: RunningRelay;

  before(async () => {
    bed = await startTestBed({ snapshot: baseSnapshot({ tenants: [tenant('t-acme', {}, { messagesPerDay: 50 }), tenant('t-globex', {}, { messagesPerDay: 3 })] }) });
    second = await bed.startNode();
    await bed.waitForPolicyVersion(bed.api.version, second);
  });
  after(() => bed.close());

  it('100 concurrent recipients over 20 connections on 2 nodes: exactly 50 accepted, the rest 452', async () => {
    const runs = Array.from({ length: 20 }, (_, n) => submit(n % 2 === 0 ? bed.relay : second, n, 5));
    const codes = (await Promise.all(runs)).flat();
    assert.equal(codes.length, 100);
    assert.equal(codes.filter((c) => c === 250).length, 50);
    assert.equal(codes.filter((c) => c === 452).length, 50);
    const jobs = (await bed.deliveryJobs()).map((job) => parseDeliveryJob(job.data));
    assert.equal(jobs.reduce((sum, job) => sum + job.recipients.length, 0), 50);
    assert.deepEqual(new Set(jobs.map((j) => j.relayNode)).size, 1, 'both nodes share the hostname in tests');
  });

  it('a transaction that ends without an accepted DATA gives its reservations back', async () => {
    const rcpts = async (node: RunningRelay, quit: 'quit' | 'data'): Promise<number[]> => {
      const client = await rawSmtp('127.0.0.1', node.ports.submissions, { tls: true });
      await client.read();
      await client.command('EHLO client.test');
      await client.command(`AUTH PLAIN ${plain('globex-app', PASSWORDS.globex)}`);
      await client.command('MAIL FROM:<a@globex.test>');
      const codes = [];
      for (const n of [1, 2, 3]) codes.push((await client.command(`RCPT TO:<g${n}@example.org>`)).code);
      if (quit === 'data') {
        await client.command('DATA');
        assert.equal((await client.command('From: a@globex.test\r\n\r\nhi\r\n.')).code, 250);
      }
      await client.command('QUIT').catch(() => undefined);
      await client.close();
      return codes;
    };
    assert.deepEqual(await rcpts(bed.relay, 'quit'), [250, 250, 250]);
    // The release runs when the server sees the connection close: wait for the day counter to drop to 0.
    const [dayKey] = await bed.redis.client.keys(`${bed.redis.prefix}:quota:{t-globex}:day:*`);
    await waitFor(async () => (await bed.redis.client.get(dayKey as string)) === '0', { description: 'reservations released' });
    assert.deepEqual(await rcpts(second, 'data'), [250, 250, 250]);
    assert.deepEqual(await rcpts(bed.relay, 'quit'), [452, 452, 452]);
  });
});

/** One connection sends transactions of up to 50 recipients until a RCPT is refused; returns the recipients queued. */
async function sendUntilRefused(port: number, connection: number): Promise<number> {
  const client = await rawSmtp('127.0.0.1', port, { tls: true });
  try {
    await client.read();
    await client.command('EHLO client.test');
    assert.equal((await client.command(`AUTH PLAIN ${plain('acme-app', PASSWORDS.acme)}`)).code, 235);
    let queued = 0;
    for (let tx = 0; ; tx += 1) {
      assert.equal((await client.command('MAIL FROM:<bulk@acme.test>')).code, 250);
      let accepted = 0;
      let refused = false;
      while (!refused && accepted < 50) {
        const reply = await client.command(`RCPT TO:<c${connection}t${tx}r${accepted}@example.org>`);
        if (reply.code === 250) accepted += 1;
        else {
          assert.deepEqual([reply.code, reply.lines[0]?.slice(0, 6)], [452, '4.5.3 ']);
          refused = true;
        }
      }
      if (accepted > 0) {
        assert.equal((await client.command('DATA')).code, 354);
        assert.equal((await client.command('From: bulk@acme.test\r\nSubject: q\r\n\r\nhi\r\n.')).code, 250);
      }
      queued += accepted;
      if (refused) return queued;
    }
  } finally {
    await client.close();
  }
}

describe('two relay processes counting quota in leases (far from the limit) still queue exactly the limit', () => {
  const limit = LEASE_HEADROOM + 150;
  let bed: RelayTestBed;
  let relays: RelayProcesses;

  before(async () => {
    bed = await startTestBed({ snapshot: baseSnapshot({ tenants: [tenant('t-acme', {}, { messagesPerDay: limit, messagesPerMinute: 100_000 }), tenant('t-globex')] }) });
    relays = await startRelayProcesses(bed, 2);
  });
  after(async () => {
    await relays.close();
    await bed.close();
  });

  it(`16 connections on 2 processes until refused: ${LEASE_HEADROOM + 150} recipients queued, the day counter never past it`, async () => {
    const ports = relays.nodes.map((node) => node.ready.ports.submissions);
    const queued = await Promise.all(Array.from({ length: 16 }, (_, n) => sendUntilRefused(ports[n % 2] as number, n)));
    assert.equal(queued.reduce((a, b) => a + b, 0), limit);
    const jobs = (await bed.deliveryJobs()).map((job) => parseDeliveryJob(job.data));
    assert.equal(jobs.reduce((sum, job) => sum + job.recipients.length, 0), limit);
    const [dayKey] = await bed.redis.client.keys(`${bed.redis.prefix}:quota:{t-acme}:day:*`);
    assert.equal(Number(await bed.redis.client.get(dayKey as string)), limit);
  });
});
