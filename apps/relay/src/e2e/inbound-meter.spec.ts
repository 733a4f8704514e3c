import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '@smarthost/logger';
import { parseDeliveryJob } from '@smarthost/queues';
import { rawSmtp, startSmtpSink, waitFor, type SmtpReply, type SmtpSink } from '@smarthost/testkit';
import { startDeliveryWorker, type RunningDeliveryWorker } from '../delivery/start-delivery-worker';
import { workerConfig } from '../delivery/test-support/fixtures';
import { baseSnapshot, forwardRoute, PASSWORDS, tenant } from '../test/fixtures';
import { TEST_NODE_TOKEN } from '../test/policy-test-server';
import { message, startTestBed, type RelayTestBed } from '../test/test-relay';

const plain = (user: string, pass: string) => Buffer.from(`\0${user}\0${pass}`).toString('base64');
/** The reply code, with the enhanced code for anything but a 250 (smtp-server's own RCPT 250 carries none). */
const status = (reply: SmtpReply) => (reply.code === 250 && !reply.lines[0]?.startsWith('2.0.0') ? '250' : `${reply.code} ${reply.lines[0]?.slice(0, 5)}`);

/** A forward host that takes the TCP connection and never says a word (a dead or black-holed customer server). */
async function blackHole(): Promise<{ port: number; sockets: Socket[]; close(): Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => sockets.push(socket.on('error', () => undefined)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    sockets,
    close: () => {
      sockets.forEach((socket) => socket.destroy());
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** One message on port 25 from a stranger; the reply that decided it (RCPT refusal, or the end of DATA). */
async function inbound(port: number, to: string, body = 'hello'): Promise<SmtpReply> {
  const client = await rawSmtp('127.0.0.1', port);
  try {
    await client.read();
    await client.command('EHLO mx.remote.example');
    assert.equal((await client.command('MAIL FROM:<someone@remote.example>')).code, 250);
    const rcpt = await client.command(`RCPT TO:<${to}>`);
    if (rcpt.code !== 250) return rcpt;
    assert.equal((await client.command('DATA')).code, 354);
    return await client.command(`${message('someone@remote.example', to, body)}.`);
  } finally {
    await client.close();
  }
}

async function submission(port: number): Promise<SmtpReply> {
  const client = await rawSmtp('127.0.0.1', port, { tls: true });
  try {
    await client.read();
    await client.command('EHLO client.test');
    assert.equal((await client.command(`AUTH PLAIN ${plain('acme-app', PASSWORDS.acme)}`)).code, 235);
    assert.equal((await client.command('MAIL FROM:<app@acme.test>')).code, 250);
    assert.equal((await client.command('RCPT TO:<friend@example.org>')).code, 250);
    assert.equal((await client.command('DATA')).code, 354);
    return await client.command(`${message('app@acme.test', 'friend@example.org')}.`);
  } finally {
    await client.close();
  }
}

describe('port 25: one transaction takes at most INBOUND_MAX_RECIPIENTS recipients', () => {
  let bed: RelayTestBed;

  before(async () => {
    bed = await startTestBed({ snapshot: baseSnapshot({ inboundRoutes: [forwardRoute('r-acme-all', 't-acme', 'd-acme', '*', 10025)] }) });
  });
  after(() => bed.close());

  it('2,000 pipelined RCPTs: the first 100 get 250, the rest 452 4.5.3, and the message goes to those 100', async () => {
    const client = await rawSmtp('127.0.0.1', bed.relay.ports.inbound, { timeoutMs: 60_000 });
    try {
      await client.read();
      await client.command('EHLO mx.remote.example');
      assert.equal((await client.command('MAIL FROM:<someone@remote.example>')).code, 250);
      client.write(Array.from({ length: 2000 }, (_, i) => `RCPT TO:<user${i}@acme.test>\r\n`).join(''));
      const replies: string[] = [];
      for (let i = 0; i < 2000; i += 1) replies.push(status(await client.read()));
      assert.deepEqual(replies.slice(0, 100), Array(100).fill('250'));
      assert.deepEqual(new Set(replies.slice(100)), new Set(['452 4.5.3']));
      assert.equal((await client.command('DATA')).code, 354);
      assert.equal((await client.command(`${message('someone@remote.example', 'user0@acme.test')}.`)).code, 250);
    } finally {
      await client.close();
    }
    const [job] = (await bed.deliveryJobs()).map((j) => parseDeliveryJob(j.data));
    assert.equal(job?.recipients.length, 100);
  });
});

describe('port 25: a message that has passed too many hosts is a loop (RFC 5321 §6.3)', () => {
  let bed: RelayTestBed;

  before(async () => {
    bed = await startTestBed();
  });
  after(() => bed.close());

  const hops = (count: number) =>
    Array.from({ length: count }, (_, i) => `Received: from hop${i}.example (hop${i}.example [192.0.2.${i + 1}]) by hop${i + 1}.example; Thu, 3 Dec 2026 10:00:00 +0000`);

  it('with the default limit, 30 Received headers are refused 554 5.4.6 and nothing is queued; 25 pass', async () => {
    const send = async (count: number) => {
      const client = await rawSmtp('127.0.0.1', bed.relay.ports.inbound);
      try {
        await client.read();
        await client.command('EHLO mx.remote.example');
        await client.command('MAIL FROM:<someone@remote.example>');
        assert.equal((await client.command('RCPT TO:<support@acme.test>')).code, 250);
        assert.equal((await client.command('DATA')).code, 354);
        return status(await client.command(`${[...hops(count), message('someone@remote.example', 'support@acme.test')].join('\r\n')}.`));
      } finally {
        await client.close();
      }
    };
    assert.equal(await send(30), '554 5.4.6');
    assert.equal((await bed.deliveryJobs()).length, 0);
    assert.equal(await send(25), '250 2.0.0');
    const refused = (await bed.events()).find((event) => event.type === 'rejected');
    assert.equal(refused?.code, 'too_many_hops');
  });
});

describe("port 25: a tenant whose server is dead fills only its own backlog, and gets it back when the mail expires", () => {
  let bed: RelayTestBed;
  let hole: Awaited<ReturnType<typeof blackHole>>;
  let sink: SmtpSink;
  let relayhost: SmtpSink;
  let worker: RunningDeliveryWorker;
  // Room for a few 2 kB messages with the headers the relay adds (Authentication-Results and an ARC set, ~1.5 kB).
  const backlogBytes = 20_000;
  const backlog = (tenantId = 't-acme') => bed.redis.client.get(`${bed.redis.prefix}:inbound:{${tenantId}}:backlog`).then(Number);

  before(async () => {
    hole = await blackHole();
    sink = await startSmtpSink({ tls: false });
    relayhost = await startSmtpSink({ tls: false });
    bed = await startTestBed({
      snapshot: baseSnapshot({
        tenants: [tenant('t-acme', {}, {}, { backlogBytes }), tenant('t-globex', {}, {}, { backlogBytes })],
        inboundRoutes: [forwardRoute('r-acme-all', 't-acme', 'd-acme', '*', hole.port), forwardRoute('r-globex-all', 't-globex', 'd-globex', '*', sink.port)],
      }),
    });
    worker = await startDeliveryWorker(
      workerConfig({
        REDIS_URL: bed.redis.url,
        REDIS_PREFIX: bed.redis.prefix,
        API_URL: bed.api.url,
        RELAY_NODE_TOKEN: TEST_NODE_TOKEN,
        DELIVERY_RELAYHOST: `127.0.0.1:${relayhost.port}`,
        // The dead server costs a second per attempt; acme's mail is given up 15 s after acceptance.
        DELIVERY_CONNECT_TIMEOUT_SECONDS: '1',
        INBOUND_MAX_AGE_SECONDS: '15',
      }),
      createLogger({ name: 'inbound-meter-test', level: 'silent' }),
    );
  });
  after(async () => {
    await worker.close();
    await bed.close();
    await Promise.all([hole.close(), sink.close(), relayhost.close()]);
  });

  it("acme gets 452 4.3.1 once its backlog is full, while globex's inbound and every submission get 250", async () => {
    const replies: string[] = [];
    for (let i = 0; i < 20 && !replies.includes('452 4.3.1'); i += 1) replies.push(status(await inbound(bed.relay.ports.inbound, `u${i}@acme.test`, 'x'.repeat(2_000))));
    assert.ok(replies.length > 2 && replies.length < 20, replies.join(', '));
    assert.deepEqual(replies.slice(0, -1), Array(replies.length - 1).fill('250 2.0.0'));
    assert.equal(replies.at(-1), '452 4.3.1');
    assert.ok((await backlog()) <= backlogBytes);
    // The worker has tried the dead server and deferred: a deferral keeps the bytes counted.
    await waitFor(async () => (await bed.events()).some((event) => event.type === 'deferred' && event.tenantId === 't-acme'), { timeoutMs: 20_000, description: 'a deferral' });
    assert.equal(status(await inbound(bed.relay.ports.inbound, 'late@acme.test', 'x'.repeat(2_000))), '452 4.3.1');
    for (let i = 0; i < 3; i += 1) {
      assert.equal(status(await inbound(bed.relay.ports.inbound, `g${i}@globex.test`, 'x'.repeat(400))), '250 2.0.0');
      assert.equal(status(await submission(bed.relay.ports.submissions)), '250 2.0.0');
    }
    await waitFor(() => sink.messages.length === 3, { timeoutMs: 20_000, description: "globex's mail at its server" });
    // Delivered mail leaves the backlog.
    await waitFor(async () => (await backlog('t-globex')) === 0, { timeoutMs: 20_000, description: "globex's backlog released" });
  });

  it('the dead server\'s mail expires (bounced, expired), its bytes leave the backlog, and acme is accepted again', async () => {
    const expired = async () => (await bed.events()).filter((event) => event.type === 'bounced' && event.tenantId === 't-acme' && event.code === 'expired');
    await waitFor(async () => (await backlog()) === 0, { timeoutMs: 60_000, description: 'the backlog released' });
    assert.ok((await expired()).length >= 2);
    assert.equal(status(await inbound(bed.relay.ports.inbound, 'again@acme.test')), '250 2.0.0');
  });
});

describe('port 25: inbound plan limits, enforced per tenant', () => {
  let bed: RelayTestBed;

  before(async () => {
    bed = await startTestBed({
      snapshot: baseSnapshot({
        tenants: [tenant('t-acme', {}, {}, { messagesPerDay: 2 }), tenant('t-globex', {}, {}, { bytesPerDay: 8_000 })],
        inboundRoutes: [forwardRoute('r-acme-all', 't-acme', 'd-acme', '*', 10025), forwardRoute('r-globex-all', 't-globex', 'd-globex', '*', 10025)],
      }),
    });
  });
  after(() => bed.close());

  it('messages per day: two accepted, then 452 4.2.2 at RCPT', async () => {
    const replies = [];
    for (const n of [1, 2, 3]) replies.push(status(await inbound(bed.relay.ports.inbound, `m${n}@acme.test`)));
    assert.deepEqual(replies, ['250 2.0.0', '250 2.0.0', '452 4.2.2']);
  });

  it('bytes per day: a message that does not fit is refused 452 4.2.2 at the end of DATA, a small one still fits', async () => {
    assert.equal(status(await inbound(bed.relay.ports.inbound, 'a@globex.test', 'x'.repeat(1_000))), '250 2.0.0');
    assert.equal(status(await inbound(bed.relay.ports.inbound, 'b@globex.test', 'x'.repeat(7_000))), '452 4.2.2');
    assert.equal(status(await inbound(bed.relay.ports.inbound, 'c@globex.test', 'x'.repeat(10))), '250 2.0.0');
    const [bytesKey] = await bed.redis.client.keys(`${bed.redis.prefix}:inbound:{t-globex}:bytes:*`);
    assert.ok(Number(await bed.redis.client.get(bytesKey as string)) <= 8_000);
  });

  it('a declared SIZE (RFC 1870) that cannot fit is refused 452 4.2.2 at RCPT, before any DATA', async () => {
    const client = await rawSmtp('127.0.0.1', bed.relay.ports.inbound);
    try {
      await client.read();
      await client.command('EHLO mx.remote.example');
      assert.equal((await client.command('MAIL FROM:<someone@remote.example> SIZE=7000')).code, 250);
      assert.equal(status(await client.command('RCPT TO:<d@globex.test>')), '452 4.2.2');
    } finally {
      await client.close();
    }
  });
});
