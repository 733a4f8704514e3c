import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RelayEvent } from '@smarthost/queues';
import { acceptedEvent, EventProducer, outcomeEvent, sendingSetup } from '../events/event-test-support';
import { assertFieldErrors, createTenantFixture, httpClient } from '../test/fixtures';
import { type TestApp, startTestApp } from '../test/test-app';

describe('GET /v1/messages', () => {
  let app: TestApp;
  let producer: EventProducer;
  let http: ReturnType<typeof httpClient>;
  let otherHttp: ReturnType<typeof httpClient>;
  /** Seven messages a minute apart, oldest first. */
  const accepted: RelayEvent[] = [];

  before(async () => {
    app = await startTestApp();
    producer = new EventProducer(app);
    const tenant = await createTenantFixture(app.prisma, 'viewer');
    http = httpClient(app.url, tenant.auth);
    otherHttp = httpClient(app.url, (await createTenantFixture(app.prisma)).auth);
    const world = await sendingSetup(app.prisma, tenant.tenantId, 'shop.example');
    const events: RelayEvent[] = [];
    for (let i = 0; i < 7; i += 1) {
      const at = `2026-02-01T09:0${i}:00.000Z`;
      const message = acceptedEvent(world, at, [i % 2 === 0 ? 'even@dest.test' : 'odd@dest.test', `only${i}@dest.test`]);
      accepted.push(message);
      const later = `2026-02-01T09:0${i}:30.000Z`;
      events.push(message, outcomeEvent(message, 'delivered', `only${i}@dest.test`, later, 1));
      if (i === 3) events.push(outcomeEvent(message, 'bounced', 'odd@dest.test', later, 1, { smtpCode: 550, detail: '550 5.1.1 no such user', code: 'hard_bounce' }));
      else events.push(outcomeEvent(message, 'delivered', i % 2 === 0 ? 'even@dest.test' : 'odd@dest.test', later, 1));
    }
    accepted.push({ ...acceptedEvent(world, '2026-02-01T09:30:00.000Z', ['x@dest.test']), mailFrom: 'billing@shop.example' });
    await producer.publish([...events, accepted.at(-1)!]);
    assert.deepEqual((await producer.ingest()).failed, []);
  });

  after(async () => {
    await producer.close();
    await app.close();
  });

  const ids = (body: { items: { id: string }[] }) => body.items.map((m) => m.id);
  const newestFirst = () => accepted.map((e) => e.messageId!).reverse();

  it('lists newest first and pages with the cursor without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await http('GET', `/v1/messages?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(page.status, 200);
      assert.ok(page.body.items.length <= 3);
      seen.push(...ids(page.body));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, newestFirst());
  });

  it('filters by recipient, sender, status, time range and message id', async () => {
    const odd = await http('GET', '/v1/messages?recipient=odd@Dest.Test');
    assert.deepEqual(ids(odd.body), [5, 3, 1].map((i) => accepted[i]!.messageId));
    const sender = await http('GET', '/v1/messages?sender=billing@shop.example');
    assert.deepEqual(ids(sender.body), [accepted[7]!.messageId]);
    const partial = await http('GET', '/v1/messages?status=partial');
    assert.deepEqual(ids(partial.body), [accepted[3]!.messageId]);
    assert.equal(partial.body.items[0].status, 'partial');
    const queued = await http('GET', '/v1/messages?status=queued');
    assert.deepEqual(ids(queued.body), [accepted[7]!.messageId]);
    const range = await http('GET', '/v1/messages?from=2026-02-01T09:02:00Z&to=2026-02-01T09:04:00Z');
    assert.deepEqual(ids(range.body), [accepted[3]!.messageId, accepted[2]!.messageId]);
    const one = await http('GET', `/v1/messages?messageId=${accepted[5]!.messageId}`);
    assert.deepEqual(ids(one.body), [accepted[5]!.messageId]);
  });

  it('shows a message with its recipients and its event timeline', async () => {
    const id = accepted[3]!.messageId!;
    const { status, body } = await http('GET', `/v1/messages/${id}`);
    assert.equal(status, 200);
    assert.equal(body.status, 'partial');
    assert.equal(body.mailFrom, 'app@shop.example');
    assert.deepEqual(
      body.recipients.map((r: any) => [r.address, r.status, r.smtpCode, r.enhancedCode]),
      [
        ['odd@dest.test', 'bounced', 550, '5.1.1'],
        ['only3@dest.test', 'delivered', 250, '2.0.0'],
      ],
    );
    assert.deepEqual(
      body.events.map((e: any) => [e.type, e.recipient]),
      [
        ['accepted', 'odd@dest.test'],
        ['accepted', 'only3@dest.test'],
        ['delivered', 'only3@dest.test'],
        ['bounced', 'odd@dest.test'],
      ],
    );
    assert.equal(body.events.find((e: any) => e.type === 'bounced').response, 'hard_bounce: 550 5.1.1 no such user');
  });

  it('hides another tenant’s messages (404, and nothing in its search)', async () => {
    const id = accepted[0]!.messageId!;
    const other = await otherHttp('GET', `/v1/messages/${id}`);
    assert.equal(other.status, 404);
    assert.deepEqual((await otherHttp('GET', `/v1/messages?messageId=${id}`)).body.items, []);
    assert.deepEqual((await otherHttp('GET', '/v1/messages')).body.items, []);
  });

  it('answers 400 naming the field for bad input', async () => {
    const cases: [string, string][] = [
      ['/v1/messages?status=lost', 'query.status'],
      ['/v1/messages?cursor=abc', 'query.cursor'],
      ['/v1/messages?from=yesterday', 'query.from'],
      ['/v1/messages?from=2026-02-02T00:00:00Z&to=2026-02-01T00:00:00Z', 'query.to'],
      ['/v1/messages?recipient=not-an-address', 'query.recipient'],
      ['/v1/messages?limit=1000', 'query.limit'],
      ['/v1/messages?colour=blue', 'query'],
      ['/v1/messages/not-a-ulid', 'params'],
    ];
    await assertFieldErrors(http, cases);
  });

  it('requires authentication', async () => {
    assert.equal((await httpClient(app.url)('GET', '/v1/messages')).status, 401);
  });
});
