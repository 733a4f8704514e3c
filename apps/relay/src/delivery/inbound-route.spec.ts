import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '@smarthost/logger';
import { messageBytes } from '@smarthost/queues';
import { startDnsServer, startSmtpSink, testRedis, waitFor, type SmtpSink, type TestDnsServer, type TestRedis } from '@smarthost/testkit';
import { srsReverse } from '@smarthost/relay-policy';
import { srsKeyOf, type DeliveryWorkerConfig } from './delivery-config';
import { startDeliveryWorker, type RunningDeliveryWorker } from './start-delivery-worker';
import { deliveryJob, dkimKey, queueProbe, startKeyServer, workerConfig, type KeyServer, type QueueProbe } from './test-support/fixtures';

describe('inbound mail forwarded along its route', () => {
  let redis: TestRedis;
  let dns: TestDnsServer;
  let tlsSink: SmtpSink;
  let plainSink: SmtpSink;
  let keys: KeyServer;
  let worker: RunningDeliveryWorker;
  let probe: QueueProbe;
  let config: DeliveryWorkerConfig;

  before(async () => {
    redis = await testRedis();
    dns = await startDnsServer();
    tlsSink = await startSmtpSink();
    plainSink = await startSmtpSink({ tls: false });
    // A key for the job's domain exists: forwarding must still not sign with it.
    keys = await startKeyServer({ 'domain-1': { domain: 'example.com', selector: 'sh1', privateKeyPem: dkimKey().privateKeyPem } });
    config = workerConfig({ REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix, API_URL: keys.url, DNS_SERVERS: dns.server });
    worker = await startDeliveryWorker(config, createLogger({ name: 'inbound-route-test', level: 'silent' }));
    probe = queueProbe(redis.client, redis.prefix);
  });

  after(async () => {
    await worker.close();
    await probe.close();
    await Promise.all([tlsSink.close(), plainSink.close(), dns.close(), keys.close()]);
    await redis.cleanup();
  });

  const eventsOf = async (messageId: string) => (await probe.events()).filter((event) => event.messageId === messageId);
  const inboundJob = (address: string, sink: SmtpSink, requireTls: boolean, host: string = sink.host) =>
    deliveryJob([address], {
      direction: 'inbound',
      credentialId: null,
      mailFrom: 'someone@remote.example',
      recipients: [{ address, target: { routeId: 'route-1', host, port: sink.port, requireTls } }],
    });

  it('delivers to the route target over STARTTLS, unsigned and byte for byte', async () => {
    const job = inboundJob('support@example.com', tlsSink, true);
    await probe.enqueue(job, job.messageId);
    const received = await waitFor(() => tlsSink.messages.find((m) => m.raw.includes(job.messageId)), { description: 'the forwarded message' });
    assert.equal(received.secure, true);
    // The outsider's address would pass SPF on our IPs (every tenant's SPF includes them): an SRS sender of ours instead.
    assert.match(received.envelope.mailFrom, /^SRS0=[a-z2-7]{8}=[a-z2-7]{2}=remote\.example=someone@worker\.smarthost\.test$/);
    assert.deepEqual(srsReverse(srsKeyOf(config), received.envelope.mailFrom), { ok: true, original: 'someone@remote.example' });
    assert.deepEqual(received.envelope.rcptTo, ['support@example.com']);
    assert.deepEqual(received.raw, messageBytes(job), 'not re-signed, not altered');
    const [event] = await waitFor(async () => (await eventsOf(job.messageId)).length > 0 && eventsOf(job.messageId));
    assert.deepEqual([event?.type, event?.direction, event?.remoteMta], ['delivered', 'inbound', `127.0.0.1[127.0.0.1]:${tlsSink.port}`]);
  });

  it('defers, and sends nothing in clear, when the route requires TLS and the server offers no STARTTLS', async () => {
    const job = inboundJob('sales@example.com', plainSink, true);
    await probe.enqueue(job, job.messageId);
    const [event] = await waitFor(async () => (await eventsOf(job.messageId)).length > 0 && eventsOf(job.messageId), { description: 'the deferral' });
    assert.deepEqual([event?.type, event?.code, event?.phase, event?.enhancedCode], ['deferred', 'tls_required', 'tls', '4.7.10']);
    assert.equal(plainSink.messages.length, 0);
    assert.deepEqual(plainSink.attempts, [], 'not even MAIL FROM went out in clear');
  });

  it('never forwards to private or reserved addresses a route host name resolves to, and defers instead', async () => {
    dns.set('internal.customer.test', 'A', ['10.1.2.3', '192.168.7.7', '169.254.169.254']);
    const job = inboundJob('billing@example.com', plainSink, false, 'internal.customer.test');
    await probe.enqueue(job, job.messageId);
    const [event] = await waitFor(async () => (await eventsOf(job.messageId)).length > 0 && eventsOf(job.messageId), { description: 'the deferral' });
    assert.deepEqual([event?.type, event?.code, event?.enhancedCode], ['deferred', 'forbidden_target', '4.4.4']);
    assert.match(String(event?.detail), /10\.1\.2\.3 \(private\), 192\.168\.7\.7 \(private\), 169\.254\.169\.254 \(linkLocal\)/);
  });

  it('forwards to the addresses of a route host that may be delivered to, skipping the others', async () => {
    // Loopback counts as allowed here only because the worker runs with NODE_ENV=test (as the API does).
    dns.set('mixed.customer.test', 'A', ['10.9.9.9', '127.0.0.1']);
    const job = inboundJob('jobs@example.com', plainSink, false, 'mixed.customer.test');
    await probe.enqueue(job, job.messageId);
    await waitFor(() => plainSink.messages.find((m) => m.raw.includes(job.messageId)), { description: 'the forwarded message' });
    const [event] = await waitFor(async () => (await eventsOf(job.messageId)).length > 0 && eventsOf(job.messageId));
    assert.deepEqual([event?.type, event?.remoteMta], ['delivered', `mixed.customer.test[127.0.0.1]:${plainSink.port}`]);
  });
});
