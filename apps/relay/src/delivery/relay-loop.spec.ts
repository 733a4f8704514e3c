import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '@smarthost/logger';
import { startDnsServer, startSmtpSink, testRedis, waitFor, type SmtpSink, type TestDnsServer, type TestRedis } from '@smarthost/testkit';
import { startDeliveryWorker, type RunningDeliveryWorker } from './start-delivery-worker';
import { deliveryJob, queueProbe, startKeyServer, workerConfig, type KeyServer, type QueueProbe } from './test-support/fixtures';

// This worker's node is 127.0.0.2 (RELAY_PUBLIC_IPS) and the relay's host name resolves to 127.0.0.3; the
// customer's server is a sink on 127.0.0.1 (loopback targets are allowed under NODE_ENV=test only).
describe('delivery never forwards back into the relay (mail loop)', () => {
  let redis: TestRedis;
  let dns: TestDnsServer;
  let sink: SmtpSink;
  let keys: KeyServer;
  let worker: RunningDeliveryWorker;
  let probe: QueueProbe;

  before(async () => {
    redis = await testRedis();
    dns = await startDnsServer();
    dns.set('worker.smarthost.test', 'A', ['127.0.0.3']);
    sink = await startSmtpSink({ tls: false });
    keys = await startKeyServer({});
    const config = workerConfig({ REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix, API_URL: keys.url, DNS_SERVERS: dns.server, RELAY_PUBLIC_IPS: '127.0.0.2' });
    worker = await startDeliveryWorker(config, createLogger({ name: 'relay-loop-test', level: 'silent' }));
    probe = queueProbe(redis.client, redis.prefix);
  });
  after(async () => {
    await worker.close();
    await probe.close();
    await Promise.all([sink.close(), dns.close(), keys.close()]);
    await redis.cleanup();
  });

  const forward = async (address: string, host: string) => {
    const job = deliveryJob([address], {
      direction: 'inbound',
      credentialId: null,
      mailFrom: 'someone@remote.example',
      recipients: [{ address, target: { routeId: 'route-1', host, port: sink.port, tlsMode: 'opportunistic' } }],
    });
    await probe.enqueue(job, job.messageId);
    const events = () => probe.events().then((all) => all.filter((event) => event.messageId === job.messageId));
    return { job, event: (await waitFor(async () => (await events()).length > 0 && events(), { description: `the outcome for ${host}` }))[0] };
  };

  for (const [what, host, address] of [
    ["a route host that resolves to this node's public address", 'loop.customer.test', '127.0.0.2'],
    ["the address the relay's host name resolves to", '127.0.0.3', '127.0.0.3'],
  ] as const) {
    it(`defers ${what} as a routing loop (4.4.6) and connects nowhere`, async () => {
      dns.set('loop.customer.test', 'A', ['127.0.0.2']);
      const { event } = await forward(`loop-${address}@example.com`, host);
      assert.deepEqual([event?.type, event?.code, event?.enhancedCode], ['deferred', 'routing_loop', '4.4.6']);
      assert.match(String(event?.detail), new RegExp(`resolves to this relay \\(${address.replace(/\./g, '\\.')}\\)`));
      assert.equal(sink.attempts.length, 0);
    });
  }

  it("skips the relay's own address and delivers to the route host's other one", async () => {
    dns.set('mixed.customer.test', 'A', ['127.0.0.2', '127.0.0.1']);
    const { job, event } = await forward('mixed@example.com', 'mixed.customer.test');
    assert.deepEqual([event?.type, event?.remoteMta], ['delivered', `mixed.customer.test[127.0.0.1]:${sink.port}`]);
    assert.ok(sink.messages.some((m) => m.raw.includes(job.messageId)));
  });
});
