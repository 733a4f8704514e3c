import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RelayEvent } from '@smarthost/queues';
import { acceptedEvent, EventProducer, outcomeEvent, rejectedEvent, sendingSetup } from '../events/event-test-support';
import { assertFieldErrors, createTenantFixture, httpClient } from '../test/fixtures';
import { type TestApp, startTestApp } from '../test/test-app';

const BOUNCE = { smtpCode: 550, detail: '550 5.1.1 unknown', code: 'hard_bounce' };

describe('GET /v1/stats', () => {
  let app: TestApp;
  let producer: EventProducer;
  let http: ReturnType<typeof httpClient>;
  let otherHttp: ReturnType<typeof httpClient>;

  before(async () => {
    app = await startTestApp();
    producer = new EventProducer(app);
    const tenant = await createTenantFixture(app.prisma, 'viewer');
    http = httpClient(app.url, tenant.auth);
    otherHttp = httpClient(app.url, (await createTenantFixture(app.prisma)).auth);
    const shop = await sendingSetup(app.prisma, tenant.tenantId, 'shop.example');
    const news = await sendingSetup(app.prisma, tenant.tenantId, 'news.example');
    const events: RelayEvent[] = [];
    // Day 1, 23:xx UTC: two shop messages; day 2, 00:xx UTC: one news message to two recipients, one bounce.
    for (const at of ['2026-03-01T23:10:00.000Z', '2026-03-01T23:50:00.000Z']) {
      const m = acceptedEvent(shop, at, ['a@dest.test']);
      events.push(m, outcomeEvent(m, 'delivered', 'a@dest.test', at.replace(':00.000Z', ':30.000Z'), 1));
    }
    const m = acceptedEvent(news, '2026-03-02T00:05:00.000Z', ['b@dest.test', 'c@dest.test']);
    events.push(m, outcomeEvent(m, 'delivered', 'b@dest.test', '2026-03-02T00:06:00.000Z', 1), outcomeEvent(m, 'bounced', 'c@dest.test', '2026-03-02T00:06:00.000Z', 1, BOUNCE));
    events.push(rejectedEvent(tenant.tenantId, '2026-03-02T00:30:00.000Z', 'quota_exhausted'));
    await producer.publish(events);
    assert.deepEqual((await producer.ingest()).failed, []);
  });

  after(async () => {
    await producer.close();
    await app.close();
  });

  const pick = (b: any) => [b.start, b.accepted, b.delivered, b.bounced, b.rejected];

  it('counts by status per UTC hour, every bucket of the range included', async () => {
    const { status, body } = await http('GET', '/v1/stats?granularity=hour&from=2026-03-01T22:00:00Z&to=2026-03-02T01:00:00Z');
    assert.equal(status, 200);
    assert.deepEqual(body.buckets.map(pick), [
      ['2026-03-01T22:00:00.000Z', 0, 0, 0, 0],
      ['2026-03-01T23:00:00.000Z', 2, 2, 0, 0],
      ['2026-03-02T00:00:00.000Z', 2, 1, 1, 1],
    ]);
    assert.deepEqual([body.totals.accepted, body.totals.delivered, body.totals.bounced, body.totals.rejected], [4, 3, 1, 1]);
  });

  it('sums whole UTC days, widening from/to to day boundaries', async () => {
    const { body } = await http('GET', '/v1/stats?granularity=day&from=2026-03-01T12:00:00Z&to=2026-03-02T00:01:00Z');
    assert.equal(body.from, '2026-03-01T00:00:00.000Z');
    assert.equal(body.to, '2026-03-03T00:00:00.000Z');
    assert.deepEqual(body.buckets.map(pick), [
      ['2026-03-01T00:00:00.000Z', 2, 2, 0, 0],
      ['2026-03-02T00:00:00.000Z', 2, 1, 1, 1],
    ]);
  });

  it('narrows to one sending domain', async () => {
    const { body } = await http('GET', '/v1/stats?granularity=day&from=2026-03-01T00:00:00Z&to=2026-03-03T00:00:00Z&domain=NEWS.example');
    assert.equal(body.domain, 'news.example');
    assert.deepEqual(body.buckets.map(pick), [
      ['2026-03-01T00:00:00.000Z', 0, 0, 0, 0],
      ['2026-03-02T00:00:00.000Z', 2, 1, 1, 0],
    ]);
  });

  it('breaks a range down per sending domain', async () => {
    const { status, body } = await http('GET', '/v1/stats/domains?from=2026-03-01T00:00:00Z&to=2026-03-03T00:00:00Z');
    assert.equal(status, 200);
    assert.deepEqual(
      body.domains.map((d: any) => [d.domain, d.accepted, d.delivered, d.bounced, d.rejected]),
      [
        ['news.example', 2, 1, 1, 0],
        ['shop.example', 2, 2, 0, 0],
        [null, 0, 0, 0, 1],
      ],
    );
  });

  it('shows another tenant none of these counts', async () => {
    const { body } = await otherHttp('GET', '/v1/stats?granularity=day&from=2026-03-01T00:00:00Z&to=2026-03-03T00:00:00Z');
    assert.deepEqual(body.totals.accepted, 0);
    assert.deepEqual((await otherHttp('GET', '/v1/stats/domains?from=2026-03-01T00:00:00Z&to=2026-03-03T00:00:00Z')).body.domains, []);
  });

  it('answers 400 naming the field for bad input', async () => {
    const cases: [string, string][] = [
      ['/v1/stats?granularity=week', 'query.granularity'],
      ['/v1/stats?from=soon', 'query.from'],
      ['/v1/stats?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z', 'query.to'],
      ['/v1/stats?granularity=hour&from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z', 'query.from'],
      ['/v1/stats?domain=not_a..domain', 'query.domain'],
      ['/v1/stats/domains?to=tomorrow', 'query.to'],
      ['/v1/stats/domains?granularity=hour', 'query'],
    ];
    await assertFieldErrors(http, cases);
  });
});
