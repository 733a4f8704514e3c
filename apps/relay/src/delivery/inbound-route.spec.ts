import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '@smarthost/logger';
import { messageBytes } from '@smarthost/queues';
import type { RouteTlsMode } from '@smarthost/relay-policy';
import {
  startDnsServer,
  startSmtpSink,
  testCertificateAuthority,
  testRedis,
  waitFor,
  type SmtpSink,
  type TestDnsServer,
  type TestRedis,
} from '@smarthost/testkit';
import { srsReverse } from '@smarthost/relay-policy';
import { srsKeyOf, type DeliveryWorkerConfig } from './delivery-config';
import { startDeliveryWorker, type RunningDeliveryWorker } from './start-delivery-worker';
import { deliveryJob, dkimKey, queueProbe, startKeyServer, workerConfig, type KeyServer, type QueueProbe } from './test-support/fixtures';

describe('inbound mail forwarded along its route', () => {
  let redis: TestRedis;
  let dns: TestDnsServer;
  let tlsSink: SmtpSink;
  let plainSink: SmtpSink;
  /** Presents a certificate for mx.customer.test signed by a CA the worker is configured to trust. */
  let caSink: SmtpSink;
  let dir: string;
  let keys: KeyServer;
  let worker: RunningDeliveryWorker;
  let probe: QueueProbe;
  let config: DeliveryWorkerConfig;

  before(async () => {
    redis = await testRedis();
    dns = await startDnsServer();
    tlsSink = await startSmtpSink();
    plainSink = await startSmtpSink({ tls: false });
    const ca = await testCertificateAuthority();
    caSink = await startSmtpSink({ tls: await ca.issue(['mx.customer.test']) });
    dns.set('mx.customer.test', 'A', ['127.0.0.1']);
    dns.set('wrong-name.customer.test', 'A', ['127.0.0.1']);
    dir = await mkdtemp(join(tmpdir(), 'inbound-route-'));
    await writeFile(join(dir, 'ca.pem'), ca.cert);
    // A key for the job's domain exists: forwarding must still not sign with it.
    keys = await startKeyServer({ 'domain-1': { domain: 'example.com', selector: 'sh1', privateKeyPem: dkimKey().privateKeyPem } });
    config = workerConfig({ REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix, API_URL: keys.url, DNS_SERVERS: dns.server, DELIVERY_TLS_CA_FILE: join(dir, 'ca.pem') });
    worker = await startDeliveryWorker(config, createLogger({ name: 'inbound-route-test', level: 'silent' }));
    probe = queueProbe(redis.client, redis.prefix);
  });

  after(async () => {
    await worker.close();
    await probe.close();
    await Promise.all([tlsSink.close(), plainSink.close(), caSink.close(), dns.close(), keys.close()]);
    await redis.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  const eventsOf = async (messageId: string) => (await probe.events()).filter((event) => event.messageId === messageId);
  const inboundJob = (address: string, sink: SmtpSink, tlsMode: RouteTlsMode, host: string = sink.host) =>
    deliveryJob([address], {
      direction: 'inbound',
      credentialId: null,
      mailFrom: 'someone@remote.example',
      recipients: [{ address, target: { routeId: 'route-1', host, port: sink.port, tlsMode } }],
    });

  const firstEvent = async (messageId: string, description: string) =>
    (await waitFor(async () => (await eventsOf(messageId)).length > 0 && eventsOf(messageId), { description }))[0];

  it('"encrypt, do not verify": delivers to a self-signed server over STARTTLS, unsigned and byte for byte', async () => {
    const job = inboundJob('support@example.com', tlsSink, 'require_unverified');
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
    for (const mode of ['require_unverified', 'require_verified'] as const) {
      const job = inboundJob(`sales-${mode}@example.com`, plainSink, mode);
      await probe.enqueue(job, job.messageId);
      const event = await firstEvent(job.messageId, 'the deferral');
      assert.deepEqual([event?.type, event?.code, event?.phase, event?.enhancedCode], ['deferred', 'tls_required', 'tls', '4.7.10'], mode);
    }
    assert.equal(plainSink.messages.length, 0);
    assert.deepEqual(plainSink.attempts, [], 'not even MAIL FROM went out in clear');
  });

  it('verified TLS: defers a self-signed server with the reason, sending it nothing', async () => {
    const job = inboundJob('verify-me@example.com', tlsSink, 'require_verified');
    await probe.enqueue(job, job.messageId);
    const event = await firstEvent(job.messageId, 'the deferral');
    assert.deepEqual([event?.type, event?.code, event?.phase, event?.enhancedCode], ['deferred', 'tls_unverified', 'tls', '4.7.5']);
    assert.match(String(event?.detail), /certificate of 127\.0\.0\.1 not verified: (DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)/);
    assert.ok(!tlsSink.attempts.some((attempt) => attempt.address === 'verify-me@example.com'), 'no envelope went out');
  });

  it('verified TLS: delivers to a server whose certificate a trusted CA issued for the route host', async () => {
    const job = inboundJob('trusted@example.com', caSink, 'require_verified', 'mx.customer.test');
    await probe.enqueue(job, job.messageId);
    const received = await waitFor(() => caSink.messages.find((m) => m.raw.includes(job.messageId)), { description: 'the forwarded message' });
    assert.equal(received.secure, true);
    const event = await firstEvent(job.messageId, 'the delivery');
    assert.deepEqual([event?.type, event?.remoteMta], ['delivered', `mx.customer.test[127.0.0.1]:${caSink.port}`]);
  });

  it('verified TLS: defers when the trusted certificate names another host than the route', async () => {
    const job = inboundJob('wrong-name@example.com', caSink, 'require_verified', 'wrong-name.customer.test');
    await probe.enqueue(job, job.messageId);
    const event = await firstEvent(job.messageId, 'the deferral');
    assert.deepEqual([event?.type, event?.code, event?.enhancedCode], ['deferred', 'tls_unverified', '4.7.5']);
    assert.match(String(event?.detail), /certificate of wrong-name\.customer\.test not verified: ERR_TLS_CERT_ALTNAME_INVALID/);
    assert.ok(!caSink.attempts.some((attempt) => attempt.address === 'wrong-name@example.com'), 'no envelope went out');
  });

  it('opportunistic TLS is unchanged: encrypted when offered (any certificate), plain text otherwise', async () => {
    const encrypted = inboundJob('maybe-tls@example.com', tlsSink, 'opportunistic');
    const plain = inboundJob('maybe-plain@example.com', plainSink, 'opportunistic');
    await Promise.all([probe.enqueue(encrypted, encrypted.messageId), probe.enqueue(plain, plain.messageId)]);
    const overTls = await waitFor(() => tlsSink.messages.find((m) => m.raw.includes(encrypted.messageId)), { description: 'the TLS delivery' });
    const inClear = await waitFor(() => plainSink.messages.find((m) => m.raw.includes(plain.messageId)), { description: 'the plain delivery' });
    assert.deepEqual([overTls.secure, inClear.secure], [true, false]);
  });

  it('never forwards to private or reserved addresses a route host name resolves to, and defers instead', async () => {
    dns.set('internal.customer.test', 'A', ['10.1.2.3', '192.168.7.7', '169.254.169.254']);
    const job = inboundJob('billing@example.com', plainSink, 'opportunistic', 'internal.customer.test');
    await probe.enqueue(job, job.messageId);
    const [event] = await waitFor(async () => (await eventsOf(job.messageId)).length > 0 && eventsOf(job.messageId), { description: 'the deferral' });
    assert.deepEqual([event?.type, event?.code, event?.enhancedCode], ['deferred', 'forbidden_target', '4.4.4']);
    assert.match(String(event?.detail), /10\.1\.2\.3 \(private\), 192\.168\.7\.7 \(private\), 169\.254\.169\.254 \(linkLocal\)/);
  });

  it('forwards to the addresses of a route host that may be delivered to, skipping the others', async () => {
    // Loopback counts as allowed here only because the worker runs with NODE_ENV=test (as the API does).
    dns.set('mixed.customer.test', 'A', ['10.9.9.9', '127.0.0.1']);
    const job = inboundJob('jobs@example.com', plainSink, 'opportunistic', 'mixed.customer.test');
    await probe.enqueue(job, job.messageId);
    await waitFor(() => plainSink.messages.find((m) => m.raw.includes(job.messageId)), { description: 'the forwarded message' });
    const [event] = await waitFor(async () => (await eventsOf(job.messageId)).length > 0 && eventsOf(job.messageId));
    assert.deepEqual([event?.type, event?.remoteMta], ['delivered', `mixed.customer.test[127.0.0.1]:${plainSink.port}`]);
  });
});
