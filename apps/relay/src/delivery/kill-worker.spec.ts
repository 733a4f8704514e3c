import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '@smarthost/logger';
import { startDnsServer, testRedis, waitFor, type TestDnsServer, type TestRedis } from '@smarthost/testkit';
import { SMTPServer } from 'smtp-server';
import { startDeliveryWorker, type RunningDeliveryWorker } from './start-delivery-worker';
import { deliveryJob, dkimKey, queueProbe, startKeyServer, workerConfig, type KeyServer, type QueueProbe } from './test-support/fixtures';

/** A remote MX that takes the first message's data and never answers it (a stall), and accepts later ones. */
async function startStallingMx() {
  const received: Buffer[] = [];
  const accepted: Buffer[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    disableReverseLookup: true,
    closeTimeout: 100,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        received.push(raw);
        if (received.length === 1) return; // no reply: the sender is stuck in DATA
        accepted.push(raw);
        callback(null);
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, received, accepted, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function messageIdHeader(raw: Buffer): string | undefined {
  return /^Message-ID:\s*(<[^>]+>)/im.exec(raw.toString('latin1'))?.[1];
}

describe('at-least-once delivery across a killed worker', () => {
  let redis: TestRedis;
  let dns: TestDnsServer;
  let keys: KeyServer;
  let mx: Awaited<ReturnType<typeof startStallingMx>>;
  let probe: QueueProbe;
  let child: ChildProcess | undefined;
  let survivor: RunningDeliveryWorker | undefined;
  let env: Record<string, string>;

  before(async () => {
    redis = await testRedis();
    dns = await startDnsServer();
    mx = await startStallingMx();
    const key = dkimKey();
    keys = await startKeyServer({ 'domain-1': { domain: 'example.com', selector: 'sh1', privateKeyPem: key.privateKeyPem } });
    dns.set('dest.test', 'MX', [{ exchange: 'mx.dest.test', priority: 10 }]);
    dns.set('mx.dest.test', 'A', ['127.0.0.1']);
    env = {
      REDIS_URL: redis.url,
      REDIS_PREFIX: redis.prefix,
      API_URL: keys.url,
      DNS_SERVERS: dns.server,
      DELIVERY_PORT: String(mx.port),
      DELIVERY_LOCK_SECONDS: '2',
    };
    probe = queueProbe(redis.client, redis.prefix);
  });

  after(async () => {
    child?.kill('SIGKILL');
    await survivor?.close();
    await probe.close();
    await Promise.all([mx.close(), dns.close(), keys.close()]);
    await redis.cleanup();
  });

  it('redelivers the message with the same Message-ID after the worker dies mid-DATA', async () => {
    child = spawn(process.execPath, [join(__dirname, 'test-support', 'worker-process.js')], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child?.stdout?.once('data', () => resolve());
      child?.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
    });
    const job = deliveryJob(['user@dest.test']);
    await probe.enqueue(job, job.messageId);

    await waitFor(() => mx.received.length === 1, { timeoutMs: 10_000, description: 'the first copy in DATA' });
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    survivor = await startDeliveryWorker(workerConfig(env), createLogger({ name: 'survivor', level: 'silent' }));
    const events = await waitFor(async () => {
      const found = (await probe.events()).filter((event) => event.messageId === job.messageId);
      return found.some((event) => event.type === 'delivered') && found;
    }, { timeoutMs: 15_000, description: 'delivered after the takeover' });

    assert.equal(mx.accepted.length, 1, 'delivered once by the surviving worker');
    assert.equal(mx.received.length, 2, 'the killed attempt and the redelivery');
    const [first, second] = mx.received.map(messageIdHeader);
    assert.equal(first, `<${job.messageId}@example.com>`);
    assert.equal(second, first, 'the redelivery carries the same Message-ID');
    assert.deepEqual(events.map((event) => [event.type, event.attempt]), [['delivered', 1]]);
  });
});
