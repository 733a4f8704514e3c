import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createResolver } from '@smarthost/dns';
import { createLogger } from '@smarthost/logger';
import { reply, startDnsServer, startSmtpSink, testRedis, waitFor, type SmtpSink, type TestDnsServer, type TestRedis } from '@smarthost/testkit';
import { dkimVerify } from 'mailauth';
import { startDeliveryWorker, type RunningDeliveryWorker } from './start-delivery-worker';
import { returnPathFor } from '@smarthost/relay-policy';
import { TEST_RETURN_PATH_KEYS } from '../test/return-path-keys';
import { deliveryJob, dkimKey, queueProbe, startKeyServer, workerConfig, type KeyServer, type QueueProbe } from './test-support/fixtures';

describe('delivery worker', () => {
  let redis: TestRedis;
  let dns: TestDnsServer;
  let sink: SmtpSink;
  let keys: KeyServer;
  let worker: RunningDeliveryWorker;
  let probe: QueueProbe;
  const key = dkimKey();

  before(async () => {
    redis = await testRedis();
    dns = await startDnsServer();
    sink = await startSmtpSink();
    keys = await startKeyServer({ 'domain-1': { domain: 'example.com', selector: 'sh1', privateKeyPem: key.privateKeyPem } });
    dns.set('dest.test', 'MX', [{ exchange: 'mx.dest.test', priority: 10 }]);
    dns.set('mx.dest.test', 'A', ['127.0.0.1']);
    dns.set('sh1._domainkey.example.com', 'TXT', [key.txt]);
    // A closed port: 127.0.0.2 is loopback too, and nothing listens there.
    dns.set('down.test', 'MX', [{ exchange: 'mx.down.test', priority: 10 }]);
    dns.set('mx.down.test', 'A', ['127.0.0.2']);
    dns.set('nullmx.test', 'MX', [{ exchange: '.', priority: 0 }]);
    const config = workerConfig({
      REDIS_URL: redis.url,
      REDIS_PREFIX: redis.prefix,
      API_URL: keys.url,
      DNS_SERVERS: dns.server,
      DELIVERY_PORT: String(sink.port),
    });
    worker = await startDeliveryWorker(config, createLogger({ name: 'delivery-test', level: 'silent' }));
    probe = queueProbe(redis.client, redis.prefix);
  });

  after(async () => {
    await worker.close();
    await probe.close();
    await Promise.all([sink.close(), dns.close(), keys.close()]);
    await redis.cleanup();
  });

  const eventsOf = async (messageId: string) => (await probe.events()).filter((event) => event.messageId === messageId);

  it('delivers to the MX with a DKIM signature that verifies, and emits delivered', async () => {
    const job = deliveryJob(['user@dest.test']);
    await probe.enqueue(job, job.messageId);
    const received = await waitFor(() => sink.messages.find((m) => m.raw.includes(job.messageId)), { description: 'the message at the sink' });
    // The relay's return path (VERP, signed for this destination) under the sender's domain: late bounces come back to the relay.
    const returnPath = returnPathFor(TEST_RETURN_PATH_KEYS, job.messageId, 'example.com', 'dest.test');
    assert.deepEqual(received.envelope, { mailFrom: returnPath, rcptTo: ['user@dest.test'] });
    assert.equal(received.secure, true, 'STARTTLS is used when offered');
    assert.equal(received.heloName, 'worker.smarthost.test');

    const resolver = createResolver({ servers: [dns.server], timeoutMs: 2000, tries: 1 });
    const verified = await dkimVerify(received.raw, { resolver: async (name) => (await resolver.txt(name)).map((txt) => [txt]) });
    const signature = verified.results[0];
    assert.equal(signature?.status.result, 'pass', signature?.info);
    assert.equal(signature?.signingDomain, 'example.com');
    assert.match(received.raw.toString('latin1'), /^DKIM-Signature:[^]*?\bc=relaxed\/relaxed;/i);
    assert.equal(keys.authorizations.at(-1), 'Bearer test-node-token-0123456789');

    const [event] = await waitFor(async () => (await eventsOf(job.messageId)).length === 1 && eventsOf(job.messageId));
    assert.equal(event?.type, 'delivered');
    assert.deepEqual(event?.recipients, ['user@dest.test']);
    assert.equal(event?.smtpCode, 250);
    assert.equal(event?.attempt, 1);
    assert.equal(event?.remoteMta, `mx.dest.test[127.0.0.1]:${sink.port}`);
  });

  it('defers on 4xx and delivers later without sending again to the recipients already done', async () => {
    sink.replyToRcpt('later@dest.test', [reply(451, '4.3.0 try again'), reply(452, '4.2.2 mailbox full'), 'accept']);
    const job = deliveryJob(['later@dest.test', 'now@dest.test']);
    await probe.enqueue(job, job.messageId);
    const events = await waitFor(async () => {
      const found = await eventsOf(job.messageId);
      return found.some((e) => e.type === 'delivered' && e.recipients[0] === 'later@dest.test') && found;
    }, { timeoutMs: 15_000, description: 'later@dest.test delivered' });
    const later = events.filter((e) => e.recipients[0] === 'later@dest.test').sort((a, b) => Number(a.attempt) - Number(b.attempt));
    assert.deepEqual(later.map((e) => [e.type, e.attempt, e.smtpCode, e.enhancedCode]), [
      ['deferred', 1, 451, '4.3.0'],
      ['deferred', 2, 452, '4.2.2'],
      ['delivered', 3, 250, null],
    ]);
    assert.equal(later[0]?.code, 'temporary');
    const copies = sink.messages.filter((m) => m.raw.includes(job.messageId));
    assert.deepEqual(copies.map((m) => m.envelope.rcptTo), [['now@dest.test'], ['later@dest.test']]);
  });

  it('bounces on 5xx, keeping the reply, and flags a 5.1.x refusal as a hard bounce', async () => {
    sink.replyToRcpt('gone@dest.test', reply(550, '5.1.1 no such user'));
    sink.replyToRcpt('blocked@dest.test', reply(554, '5.7.1 rejected by policy'));
    const job = deliveryJob(['gone@dest.test', 'blocked@dest.test']);
    await probe.enqueue(job, job.messageId);
    const events = await waitFor(async () => (await eventsOf(job.messageId)).length === 2 && eventsOf(job.messageId));
    const gone = events.find((e) => e.recipients[0] === 'gone@dest.test');
    const blocked = events.find((e) => e.recipients[0] === 'blocked@dest.test');
    assert.deepEqual([gone?.type, gone?.code, gone?.smtpCode, gone?.enhancedCode, gone?.phase, gone?.detail], ['bounced', 'hard_bounce', 550, '5.1.1', 'rcpt', 'no such user']);
    assert.deepEqual([blocked?.type, blocked?.code, blocked?.smtpCode, blocked?.enhancedCode], ['bounced', 'permanent', 554, '5.7.1']);
    assert.equal(sink.messages.filter((m) => m.raw.includes(job.messageId)).length, 0);
  });

  it('defers when the MX is down, and bounces a null-MX domain', async () => {
    const down = deliveryJob(['user@down.test']);
    const nullMx = deliveryJob(['user@nullmx.test']);
    await probe.enqueue(down, down.messageId);
    await probe.enqueue(nullMx, nullMx.messageId);
    const [deferred] = await waitFor(async () => (await eventsOf(down.messageId)).length > 0 && eventsOf(down.messageId));
    assert.deepEqual([deferred?.type, deferred?.code, deferred?.phase, deferred?.remoteMta], ['deferred', 'connection', 'connect', `mx.down.test[127.0.0.2]:${sink.port}`]);
    const [bounced] = await waitFor(async () => (await eventsOf(nullMx.messageId)).length > 0 && eventsOf(nullMx.messageId));
    assert.deepEqual([bounced?.type, bounced?.code, bounced?.enhancedCode], ['bounced', 'null_mx', '5.1.10']);
  });

  it('never delivers to an MX that resolves to private addresses: defers, and uses a later MX that is public', async () => {
    dns.set('internal.test', 'MX', [{ exchange: 'mx.internal.test', priority: 10 }]);
    dns.set('mx.internal.test', 'A', ['10.20.30.40', '192.168.0.25']);
    dns.set('backup.test', 'MX', [
      { exchange: 'mx.internal.test', priority: 10 },
      { exchange: 'mx.dest.test', priority: 20 },
    ]);
    const internal = deliveryJob(['user@internal.test']);
    const backup = deliveryJob(['user@backup.test']);
    await probe.enqueue(internal, internal.messageId);
    await probe.enqueue(backup, backup.messageId);
    const [deferred] = await waitFor(async () => (await eventsOf(internal.messageId)).length > 0 && eventsOf(internal.messageId));
    assert.deepEqual([deferred?.type, deferred?.code, deferred?.enhancedCode], ['deferred', 'forbidden_target', '4.4.4']);
    assert.match(String(deferred?.detail), /10\.20\.30\.40 \(private\), 192\.168\.0\.25 \(private\)/);
    const [delivered] = await waitFor(async () => (await eventsOf(backup.messageId)).length > 0 && eventsOf(backup.messageId));
    assert.deepEqual([delivered?.type, delivered?.remoteMta], ['delivered', `mx.dest.test[127.0.0.1]:${sink.port}`]);
  });

  it('dead-letters a payload that fails validation, with the reason', async () => {
    const poison = { ...deliveryJob(['user@dest.test']), messageId: 'not-a-ulid' };
    await probe.enqueue(poison, 'poison-1');
    const letters = await waitFor(async () => (await probe.deadLetters()).filter((l) => l.id === 'poison-1').length > 0 && probe.deadLetters());
    const letter = letters.find((l) => l.id === 'poison-1');
    assert.match(String(letter?.data.reason), /^invalid payload: .*messageId: must be a message id/);
    assert.deepEqual(letter?.data.payload, poison);
    assert.equal(letter?.data.sourceQueue, 'delivery');
  });
});
