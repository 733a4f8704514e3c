import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestApp, startTestApp } from '../test/test-app';
import { createTenantFixture } from '../test/fixtures';
import { acceptedEvent, EventProducer, outcomeEvent, rejectedEvent, sendingSetup, type TenantWorld } from './event-test-support';
import { purgeExpired } from './event-retention';
import { eventId, parseRelayEvent, type RelayEvent } from '@smarthost/queues';

const HARD_BOUNCE = { smtpCode: 550, detail: '550 5.1.1 <y@dest.test>: user unknown', code: 'hard_bounce' };
const DEFERRAL = { smtpCode: 451, detail: '451 4.7.1 greylisted, try later' };

describe('event ingest (events queue → Postgres)', () => {
  let app: TestApp;
  let producer: EventProducer;
  let world: TenantWorld;
  let events: RelayEvent[];
  let m1: RelayEvent;
  let m2: RelayEvent;

  before(async () => {
    app = await startTestApp();
    producer = new EventProducer(app);
    const tenant = await createTenantFixture(app.prisma);
    world = await sendingSetup(app.prisma, tenant.tenantId, 'a.example');
    m1 = acceptedEvent(world, '2026-01-15T10:15:00.000Z', ['x@dest.test', 'Y@Dest.test']);
    m2 = acceptedEvent(world, '2026-01-15T10:40:00.000Z', ['z@dest.test']);
    events = [
      m1,
      outcomeEvent(m1, 'delivered', 'x@dest.test', '2026-01-15T10:16:00.000Z', 1),
      outcomeEvent(m1, 'deferred', 'Y@Dest.test', '2026-01-15T10:16:30.000Z', 1, DEFERRAL),
      outcomeEvent(m1, 'bounced', 'Y@Dest.test', '2026-01-15T11:05:00.000Z', 2, HARD_BOUNCE),
      m2,
      outcomeEvent(m2, 'deferred', 'z@dest.test', '2026-01-15T10:41:00.000Z', 1, DEFERRAL),
      rejectedEvent(world.tenantId, '2026-01-15T10:50:00.000Z', 'sender_not_owned'),
      rejectedEvent(null, '2026-01-15T10:51:00.000Z', 'relay_denied'),
      rejectedEvent(null, '2026-01-15T10:52:00.000Z', 'relay_denied'),
    ];
    await producer.publish(events);
    assert.deepEqual((await producer.ingest()).failed, []);
  });

  after(async () => {
    await producer.close();
    await app.close();
  });

  it('stores each event once per recipient, the open-relay probes only in a log line', async () => {
    assert.equal(await app.prisma.deliveryEvent.count({ where: { tenantId: world.tenantId } }), /* m1 */ 2 + 3 + /* m2 */ 1 + 1 + /* refusal */ 1);
    const probeLog = producer.logs.map((line) => JSON.parse(line)).find((line) => line.msg === 'events without tenant (not stored)');
    assert.equal(probeLog?.count, 2);
    assert.deepEqual(probeLog?.byCode, { relay_denied: 2 });
  });

  it('derives message and recipient status from the events', async () => {
    const message = await app.prisma.message.findUniqueOrThrow({ where: { id: m1.messageId! }, include: { recipients: { orderBy: { address: 'asc' } } } });
    assert.equal(message.status, 'partial');
    assert.equal(message.mailFrom, 'app@a.example');
    assert.equal(message.subject, 'Order 17 has shipped', 'the log shows what the accepted event read from the headers');
    assert.equal(message.recipientCount, 2);
    assert.equal(message.sizeBytes, 1234);
    assert.equal(message.domainId, world.domainId);
    assert.equal(message.credentialId, world.credentialId);
    assert.deepEqual(
      message.recipients.map((r) => [r.address, r.status, r.attempts, r.smtpCode, r.enhancedCode]),
      [
        ['Y@Dest.test', 'bounced', 2, 550, '5.1.1'],
        ['x@dest.test', 'delivered', 1, 250, '2.0.0'],
      ],
    );
    const deferred = await app.prisma.message.findUniqueOrThrow({ where: { id: m2.messageId! } });
    assert.equal(deferred.status, 'deferred');
  });

  it('counts per tenant, UTC hour and sending domain, and usage per day and month', async () => {
    const stats = await app.prisma.statsHourly.findMany({ where: { tenantId: world.tenantId }, orderBy: [{ hour: 'asc' }, { domain: 'asc' }] });
    assert.deepEqual(
      stats.map((s) => [s.hour.toISOString(), s.domain, s.accepted, s.rejected, s.delivered, s.deferred, s.bounced]),
      [
        ['2026-01-15T10:00:00.000Z', '', 0, 1, 0, 0, 0],
        ['2026-01-15T10:00:00.000Z', 'a.example', 3, 0, 1, 2, 0],
        ['2026-01-15T11:00:00.000Z', 'a.example', 0, 0, 0, 0, 1],
      ],
    );
    const usage = await app.prisma.usageCounter.findMany({ where: { tenantId: world.tenantId }, orderBy: { period: 'asc' } });
    assert.deepEqual(
      usage.map((u) => [u.period, u.periodStart.toISOString().slice(0, 10), u.messages, u.recipients]),
      [
        ['day', '2026-01-15', 2, 3],
        ['month', '2026-01-01', 2, 3],
      ],
    );
  });

  it('suppresses a hard-bounced address for the tenant and records the policy change', async () => {
    const suppression = await app.prisma.suppression.findUniqueOrThrow({ where: { tenantId_address: { tenantId: world.tenantId, address: 'y@dest.test' } } });
    assert.equal(suppression.reason, 'hard_bounce');
    assert.match(suppression.detail ?? '', /5\.1\.1/);
    const changes = await app.prisma.policyChange.findMany({ where: { tenantId: world.tenantId, entity: 'suppression' } });
    assert.deepEqual(changes.map((c) => [c.entityId, c.op]), [[suppression.id, 'upsert']]);
    // A soft deferral suppresses nothing.
    assert.equal(await app.prisma.suppression.count({ where: { tenantId: world.tenantId } }), 1);
  });

  it('is idempotent: the same events again change no row and no counter', async () => {
    const snapshot = async () => ({
      events: await app.prisma.deliveryEvent.count(),
      stats: await app.prisma.statsHourly.findMany({ orderBy: [{ hour: 'asc' }, { domain: 'asc' }] }),
      usage: await app.prisma.usageCounter.findMany({ orderBy: { period: 'asc' }, select: { period: true, messages: true, recipients: true } }),
      recipients: await app.prisma.messageRecipient.findMany({ orderBy: { address: 'asc' }, select: { address: true, status: true, attempts: true } }),
      changes: await app.prisma.policyChange.count(),
    });
    const before = await snapshot();
    await producer.publish(events);
    assert.deepEqual((await producer.ingest()).failed, []);
    assert.deepEqual(await snapshot(), before);
  });

  it('does not depend on event order: an outcome before its accepted event still ends right', async () => {
    const late = acceptedEvent(world, '2026-01-15T12:00:00.000Z', ['late@dest.test']);
    await producer.publish([outcomeEvent(late, 'delivered', 'late@dest.test', '2026-01-15T12:00:05.000Z', 2)]);
    await producer.ingest();
    await producer.publish([late, outcomeEvent(late, 'deferred', 'late@dest.test', '2026-01-15T12:00:01.000Z', 1, DEFERRAL)]);
    await producer.ingest();
    const message = await app.prisma.message.findUniqueOrThrow({ where: { id: late.messageId! }, include: { recipients: true } });
    assert.equal(message.status, 'delivered');
    assert.equal(message.mailFrom, 'app@a.example');
    assert.equal(message.recipientCount, 1);
    assert.deepEqual(message.recipients.map((r) => [r.status, r.attempts]), [['delivered', 2]]);
  });

  it('never writes into another tenant’s message', async () => {
    const other = await sendingSetup(app.prisma, (await createTenantFixture(app.prisma)).tenantId, 'b.example');
    const forged = { ...outcomeEvent(m2, 'bounced', 'z@dest.test', '2026-01-15T13:00:00.000Z', 9, HARD_BOUNCE), tenantId: other.tenantId };
    await producer.publish([forged]);
    await producer.ingest();
    const recipient = await app.prisma.messageRecipient.findUniqueOrThrow({ where: { messageId_address: { messageId: m2.messageId!, address: 'z@dest.test' } } });
    assert.equal(recipient.status, 'deferred');
    assert.equal((await app.prisma.message.findUniqueOrThrow({ where: { id: m2.messageId! } })).tenantId, world.tenantId);
  });

  it('fails an invalid payload alone and without retries', async () => {
    const good = acceptedEvent(world, '2026-01-15T14:00:00.000Z', ['ok@dest.test']);
    await producer.publishRaw({ ...good, eventId: 'not-an-event-id' }, 'bad-1');
    await producer.publish([good]);
    const { failed } = await producer.ingest();
    assert.equal(failed.length, 1);
    assert.match(failed[0]!, /^bad-1: invalid event payload/);
    assert.equal((await producer.queue.getJob('bad-1'))?.attemptsMade, 1);
    assert.ok(await app.prisma.message.findUnique({ where: { id: good.messageId! } }));
    await (await producer.queue.getJob('bad-1'))?.remove();
  });

  it('leaves out a bad event of a batch, logs it, and stores the rest of the batch', async () => {
    const good = acceptedEvent(world, '2026-01-15T15:00:00.000Z', ['fine@dest.test']);
    await producer.publishRaw({ events: [{ ...good, eventId: eventId('accepted', 'other'), smtpCode: 999 }, parseRelayEvent(good)] });
    assert.deepEqual((await producer.ingest()).failed, []);
    assert.ok(await app.prisma.message.findUnique({ where: { id: good.messageId! } }));
    const logged = producer.logs.map((line) => JSON.parse(line)).find((line) => line.msg === 'invalid events left out');
    assert.match(logged?.invalid?.[0] ?? '', /^events\.0\.smtpCode: /);
  });

  it('counts an event once when one batch carries it twice (an attempt replayed while the ingest was behind)', async () => {
    const twice = acceptedEvent(world, '2026-01-16T09:00:00.000Z', ['twice@dest.test']);
    await producer.publish([twice, twice]);
    assert.deepEqual((await producer.ingest()).failed, []);
    const day = await app.prisma.usageCounter.findFirstOrThrow({ where: { tenantId: world.tenantId, period: 'day', periodStart: new Date('2026-01-16') } });
    assert.deepEqual([day.messages, day.recipients], [1, 1]);
    const [hour] = await app.prisma.statsHourly.findMany({ where: { tenantId: world.tenantId, hour: new Date('2026-01-16T09:00:00.000Z') } });
    assert.equal(hour?.accepted, 1);
  });

  it('still reads a bare event, as a node before batching wrote one', async () => {
    const bare = acceptedEvent(world, '2026-01-16T10:00:00.000Z', ['bare@dest.test']);
    await producer.publishRaw(parseRelayEvent(bare), bare.eventId);
    assert.deepEqual((await producer.ingest()).failed, []);
    assert.ok(await app.prisma.message.findUnique({ where: { id: bare.messageId! } }));
  });

  it('takes a bounce report only for a real recipient of that message of that tenant', async () => {
    const report = (about: RelayEvent, recipient: string, tenantId = world.tenantId): RelayEvent => ({
      ...outcomeEvent(about, 'bounced', recipient, '2026-01-15T12:00:00.000Z', 1, { smtpCode: 550, detail: '550 5.1.1 mailbox gone', code: 'hard_bounce' }),
      eventId: eventId('bounced', about.messageId ?? '', recipient, 'report'),
      tenantId,
      phase: 'report',
      attempt: null,
    });
    const other = await createTenantFixture(app.prisma);
    const sent = acceptedEvent(world, '2026-02-01T09:00:00.000Z', ['Zed@Dest.test']);
    await producer.publish([sent]);
    await producer.publish([
      report(sent, 'zed@DEST.TEST'), // the recipient, in another case than it was sent to
      report(sent, 'never-sent-to@dest.test'), // forged: not a recipient of that message
      report(sent, 'zed@dest.test', other.tenantId), // forged: another tenant's
    ]);
    assert.deepEqual((await producer.ingest()).failed, []);
    const recipient = await app.prisma.messageRecipient.findUniqueOrThrow({ where: { messageId_address: { messageId: sent.messageId!, address: 'Zed@Dest.test' } } });
    assert.equal(recipient.status, 'bounced');
    const suppressed = (await app.prisma.suppression.findMany({ where: { address: { in: ['zed@dest.test', 'never-sent-to@dest.test'] } } })).map((s) => [s.tenantId, s.address]);
    assert.deepEqual(suppressed, [[world.tenantId, 'zed@dest.test']]);
    assert.ok(producer.logs.some((line) => line.includes('bounce reports about no recipient we sent to dropped') && line.includes('"count":2')));
  });
  const complaint = (sent: RelayEvent, recipient: string, type: 'complained' | 'complaint_unverified', occurredAt: string): RelayEvent => ({
    ...sent,
    eventId: eventId(type, sent.messageId ?? '', recipient, 'report'),
    type,
    code: 'abuse',
    smtpCode: null,
    phase: 'report',
    recipients: [recipient],
    occurredAt,
    detail: type === 'complained' ? 'signed by fbl.provider.example' : 'unverified: not DKIM-signed',
    enhancedCode: null,
  });
  const complainedCount = async (hour: string) =>
    (await app.prisma.statsHourly.findMany({ where: { tenantId: world.tenantId, hour: new Date(hour) } })).map((row) => row.complained);

  it('suppresses a recipient who complained, and counts the complaint in the hourly stats', async () => {
    const sent = acceptedEvent(world, '2026-02-02T09:00:00.000Z', ['annoyed@dest.test']);
    await producer.publish([sent, complaint(sent, 'annoyed@dest.test', 'complained', '2026-02-02T15:00:00.000Z')]);
    assert.deepEqual((await producer.ingest()).failed, []);
    const suppression = await app.prisma.suppression.findUniqueOrThrow({ where: { tenantId_address: { tenantId: world.tenantId, address: 'annoyed@dest.test' } } });
    assert.equal(suppression.reason, 'complaint');
    assert.deepEqual(await complainedCount('2026-02-02T15:00:00.000Z'), [1]);
  });

  it('keeps an unverified complaint on the timeline, without a suppression or any count', async () => {
    const sent = acceptedEvent(world, '2026-02-03T09:00:00.000Z', ['maybe@dest.test']);
    await producer.publish([sent, complaint(sent, 'maybe@dest.test', 'complaint_unverified', '2026-02-03T15:00:00.000Z')]);
    assert.deepEqual((await producer.ingest()).failed, []);
    const stored = await app.prisma.deliveryEvent.findMany({ where: { tenantId: world.tenantId, messageId: sent.messageId }, orderBy: { occurredAt: 'asc' } });
    assert.deepEqual(stored.map((e) => [e.type, e.recipient, e.response]), [
      ['accepted', 'maybe@dest.test', null],
      ['complaint_unverified', 'maybe@dest.test', 'abuse: unverified: not DKIM-signed'],
    ]);
    assert.equal(await app.prisma.suppression.count({ where: { tenantId: world.tenantId, address: 'maybe@dest.test' } }), 0);
    assert.deepEqual(await complainedCount('2026-02-03T15:00:00.000Z'), []);
    const recipient = await app.prisma.messageRecipient.findUniqueOrThrow({ where: { messageId_address: { messageId: sent.messageId!, address: 'maybe@dest.test' } } });
    assert.equal(recipient.status, 'queued', 'a complaint is no delivery outcome');
  });
});

describe('event retention', () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('deletes only events, rollups, blocklist checks and Stripe event ids older than their retention, in bounded batches', async () => {
    const { tenantId } = await createTenantFixture(app.prisma);
    const now = new Date('2026-03-01T00:00:00.000Z');
    const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
    const event = (key: string, occurredAt: Date) => ({ eventKey: key, tenantId, type: 'delivered' as const, occurredAt });
    await app.prisma.deliveryEvent.createMany({
      data: [...Array.from({ length: 5 }, (_, i) => event(`old-${i}`, daysAgo(31 + i))), event('fresh', daysAgo(29))],
    });
    await app.prisma.statsHourly.createMany({
      data: [
        { tenantId, hour: daysAgo(401), accepted: 1 },
        { tenantId, hour: daysAgo(402), accepted: 1 },
        { tenantId, hour: daysAgo(31), accepted: 1 },
      ],
    });
    const check = (target: string, checkedAt: Date) => ({ tenantId, targetType: 'domain' as const, target, zone: 'dbl.example', listed: false, checkedAt });
    await app.prisma.blacklistCheck.createMany({ data: [check('old-1.example', daysAgo(8)), check('old-2.example', daysAgo(9)), check('new.example', daysAgo(6))] });
    await app.prisma.stripeWebhookEvent.createMany({
      data: [31, 32, 33, 29].map((days) => ({ id: `evt_${days}`, type: 'invoice.paid', processedAt: daysAgo(days) })),
    });
    const result = await purgeExpired(app.prisma, { eventRetentionDays: 30, rollupRetentionDays: 400, checkRetentionDays: 7, batchSize: 2, now });
    assert.deepEqual(result, { eventsDeleted: 5, rollupsDeleted: 2, checksDeleted: 2, webhookEventsDeleted: 3 });
    assert.deepEqual((await app.prisma.stripeWebhookEvent.findMany()).map((e) => e.id), ['evt_29']);
    assert.deepEqual((await app.prisma.blacklistCheck.findMany({ where: { tenantId } })).map((c) => c.target), ['new.example']);
    assert.deepEqual((await app.prisma.deliveryEvent.findMany()).map((e) => e.eventKey), ['fresh']);
    assert.deepEqual((await app.prisma.statsHourly.findMany()).map((s) => s.hour.toISOString()), [daysAgo(31).toISOString()]);
  });
});