import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '@smarthost/logger';
import { reply, startDnsServer, startSmtpSink, testRedis, waitFor, type SmtpSink, type TestDnsServer, type TestRedis } from '@smarthost/testkit';
import { bounceNoticeId } from './bounce-notice';
import { startDeliveryWorker, type RunningDeliveryWorker } from './start-delivery-worker';
import { deliveryJob, dkimKey, queueProbe, startKeyServer, workerConfig, type KeyServer, type QueueProbe } from './test-support/fixtures';

describe('bounce notices to the envelope sender', () => {
  let redis: TestRedis;
  let dns: TestDnsServer;
  let sink: SmtpSink;
  let keys: KeyServer;
  let worker: RunningDeliveryWorker;
  let probe: QueueProbe;

  before(async () => {
    redis = await testRedis();
    dns = await startDnsServer();
    sink = await startSmtpSink();
    keys = await startKeyServer({ 'domain-1': { domain: 'example.com', selector: 'sh1', privateKeyPem: dkimKey().privateKeyPem } });
    // Recipients (dest.test) and senders (example.com) both have their MX at the sink.
    for (const domain of ['dest.test', 'example.com']) dns.set(domain, 'MX', [{ exchange: 'mx.dest.test', priority: 10 }]);
    dns.set('mx.dest.test', 'A', ['127.0.0.1']);
    const config = workerConfig({ REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix, API_URL: keys.url, DNS_SERVERS: dns.server, DELIVERY_PORT: String(sink.port) });
    worker = await startDeliveryWorker(config, createLogger({ name: 'bounce-notice-test', level: 'silent' }));
    probe = queueProbe(redis.client, redis.prefix);
  });

  after(async () => {
    await worker.close();
    await probe.close();
    await Promise.all([sink.close(), dns.close(), keys.close()]);
    await redis.cleanup();
  });

  const eventsOf = async (messageId: string) => (await probe.events()).filter((event) => event.messageId === messageId);
  /** Notices at the sink about one original message (its Message-ID is in the returned headers). */
  const noticesAbout = (messageId: string) => sink.messages.filter((m) => m.envelope.mailFrom === '' && m.raw.includes(`${messageId}@example.com`));
  const idle = () => waitFor(async () => (await probe.pending()) === 0, { description: 'the delivery queue drained' });

  it('sends one RFC 3464 report from <> to the sender when a recipient bounces with 550', async () => {
    sink.replyToRcpt('gone@dest.test', reply(550, '5.1.1 no such user'));
    const job = deliveryJob(['gone@dest.test', 'fine@dest.test'], { bounceNotice: true });
    await probe.enqueue(job, job.messageId);
    const [notice] = await waitFor(() => noticesAbout(job.messageId).length > 0 && noticesAbout(job.messageId), { description: 'the notice at the sink' });
    assert.deepEqual(notice?.envelope, { mailFrom: '', rcptTo: ['sender@example.com'] });
    const text = notice?.raw.toString('utf8') ?? '';
    const boundary = /boundary="([^"]+)"/.exec(text)?.[1] ?? 'no boundary';
    const [head = '', ...rest] = text.split(`\r\n--${boundary}`);
    assert.equal(rest.pop(), '--\r\n', 'the closing delimiter ends the message');
    const parts = rest.map((part) => part.replace(/^\r\n/, ''));
    assert.match(head, /^Content-Type: multipart\/report; report-type=delivery-status;/m);
    assert.match(head, /^From: Mail Delivery System <MAILER-DAEMON@worker\.smarthost\.test>$/m);
    assert.match(head, /^To: sender@example\.com$/m);
    assert.match(head, /^Auto-Submitted: auto-replied$/m);
    assert.match(head, new RegExp(`^In-Reply-To: <${job.messageId}@example\\.com>$`, 'm'));
    assert.doesNotMatch(head, /^DKIM-Signature:/im, "not signed with the tenant's key");

    assert.equal(parts.length, 3, 'human-readable text, delivery status, original headers');
    assert.match(parts[0] ?? '', /^Content-Type: text\/plain/);
    assert.match(parts[0] ?? '', /<gone@dest\.test>: 550 5\.1\.1 no such user/);
    const status = parts[1] ?? '';
    assert.match(status, /^Content-Type: message\/delivery-status\r\n/);
    assert.match(status, /\r\n\r\nReporting-MTA: dns; worker\.smarthost\.test\r\nArrival-Date: /);
    const recipientBlocks = status.split('\r\n\r\n').filter((block) => block.startsWith('Final-Recipient:'));
    assert.equal(recipientBlocks.length, 1, 'only the recipient that bounced');
    const fields = Object.fromEntries((recipientBlocks[0] ?? '').split('\r\n').map((line) => line.split(/: (.*)/s).slice(0, 2)));
    assert.equal(fields['Final-Recipient'], 'rfc822; gone@dest.test');
    assert.equal(fields.Action, 'failed');
    assert.equal(fields.Status, '5.1.1');
    assert.equal(fields['Remote-MTA'], 'dns; mx.dest.test');
    assert.equal(fields['Diagnostic-Code'], 'smtp; 550 5.1.1 no such user');
    assert.match(parts[2] ?? '', /^Content-Type: text\/rfc822-headers\r\n/);
    assert.match(parts[2] ?? '', /\r\nSubject: delivery test\r\n/);
    assert.doesNotMatch(parts[2] ?? '', /Hello from the delivery worker test/, 'headers only, not the body');

    // The notice is a delivery job of its own, with its own events.
    const noticeId = bounceNoticeId(job.messageId, 1);
    const [delivered] = await waitFor(async () => (await eventsOf(noticeId)).length > 0 && eventsOf(noticeId));
    assert.deepEqual([delivered?.type, delivered?.tenantId, delivered?.mailFrom, delivered?.recipients], ['delivered', 'tenant-1', '', ['sender@example.com']]);
  });

  it('sends none when the tenant has notices off', async () => {
    sink.replyToRcpt('off@dest.test', reply(550, '5.1.1 no such user'));
    const job = deliveryJob(['off@dest.test'], { bounceNotice: false });
    await probe.enqueue(job, job.messageId);
    await waitFor(async () => (await eventsOf(job.messageId)).some((e) => e.type === 'bounced'), { description: 'the bounce' });
    await idle();
    assert.equal(noticesAbout(job.messageId).length, 0);
    assert.equal((await eventsOf(bounceNoticeId(job.messageId, 1))).length, 0);
  });

  it('never answers a bouncing notice with another notice', async () => {
    sink.replyToRcpt('nobody@example.com', reply(550, '5.1.1 sender mailbox gone'));
    sink.replyToRcpt('gone2@dest.test', reply(550, '5.1.1 no such user'));
    const job = deliveryJob(['gone2@dest.test'], { bounceNotice: true, mailFrom: 'nobody@example.com' });
    await probe.enqueue(job, job.messageId);
    const noticeId = bounceNoticeId(job.messageId, 1);
    const [bounced] = await waitFor(async () => (await eventsOf(noticeId)).length > 0 && eventsOf(noticeId), { description: 'the notice bounced' });
    assert.deepEqual([bounced?.type, bounced?.recipients], ['bounced', ['nobody@example.com']]);
    await idle();
    assert.equal((await eventsOf(bounceNoticeId(noticeId, 1))).length, 0, 'no notice about the notice');
    assert.equal(sink.attempts.filter((a) => a.stage === 'rcpt' && a.address === 'nobody@example.com').length, 1);
  });

  it('sends still one notice when the same attempt runs again (a worker died before recording it)', async () => {
    sink.replyToRcpt('replayed@dest.test', reply(550, '5.1.1 no such user'));
    const job = deliveryJob(['replayed@dest.test'], { bounceNotice: true });
    await probe.enqueue(job, job.messageId);
    await waitFor(() => noticesAbout(job.messageId).length === 1, { description: 'the first notice' });
    await idle();
    // The job as it was before attempt 1 recorded anything: the replay runs attempt 1 again, after the first
    // notice has been delivered and its job removed.
    await probe.enqueue(job, job.messageId);
    await waitFor(() => sink.attempts.filter((a) => a.stage === 'rcpt' && a.address === 'replayed@dest.test').length === 2, { description: 'the replayed attempt' });
    await idle();
    assert.equal(noticesAbout(job.messageId).length, 1);
  });
});
