import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EventProducer, rejectedEvent } from '../events/event-test-support';
import { assertFieldErrors, createTenantFixture, httpClient } from '../test/fixtures';
import { type TestApp, startTestApp } from '../test/test-app';

const RANGE = 'from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z';

describe('GET /v1/rejections', () => {
  let app: TestApp;
  let producer: EventProducer;
  let http: ReturnType<typeof httpClient>;
  let otherHttp: ReturnType<typeof httpClient>;

  before(async () => {
    app = await startTestApp();
    producer = new EventProducer(app);
    const tenant = await createTenantFixture(app.prisma, 'viewer');
    const other = await createTenantFixture(app.prisma);
    http = httpClient(app.url, tenant.auth);
    otherHttp = httpClient(app.url, other.auth);
    await producer.publish([
      rejectedEvent(tenant.tenantId, '2026-03-01T10:00:00.000Z', 'sender_not_owned'),
      rejectedEvent(tenant.tenantId, '2026-03-01T11:00:00.000Z', 'sender_not_owned'),
      rejectedEvent(tenant.tenantId, '2026-03-01T12:00:00.000Z', 'sender_not_owned'),
      { ...rejectedEvent(tenant.tenantId, '2026-03-01T13:00:00.000Z', 'quota_daily_exhausted'), smtpCode: 452, detail: '4.5.3 Daily recipient quota exhausted' },
      // Outside the range, and another tenant's: neither is counted.
      rejectedEvent(tenant.tenantId, '2026-03-02T01:00:00.000Z', 'quota_daily_exhausted'),
      rejectedEvent(other.tenantId, '2026-03-01T12:30:00.000Z', 'suppressed'),
    ]);
    assert.deepEqual((await producer.ingest()).failed, []);
  });

  after(async () => {
    await producer.close();
    await app.close();
  });

  it('counts the refusals of a range by reason, largest first', async () => {
    const { status, body } = await http('GET', `/v1/rejections/reasons?${RANGE}`);
    assert.equal(status, 200);
    assert.deepEqual(body.reasons, [
      { reason: 'sender_not_owned', count: 3 },
      { reason: 'quota_daily_exhausted', count: 1 },
    ]);
  });

  it('lists the refusals of one reason, newest first, with the reply the client got', async () => {
    const { status, body } = await http('GET', `/v1/rejections?${RANGE}&reason=sender_not_owned`);
    assert.equal(status, 200);
    assert.deepEqual(body.items.map((r: any) => [r.occurredAt, r.reason]), [
      ['2026-03-01T12:00:00.000Z', 'sender_not_owned'],
      ['2026-03-01T11:00:00.000Z', 'sender_not_owned'],
      ['2026-03-01T10:00:00.000Z', 'sender_not_owned'],
    ]);
    assert.deepEqual([body.items[0].smtpCode, body.items[0].reply, body.items[0].recipient], [554, '554 5.7.1 relay access denied', 'victim@elsewhere.test']);
  });

  it('gives the reply with its code, as the client read it', async () => {
    const { body } = await http('GET', `/v1/rejections?${RANGE}&reason=quota_daily_exhausted`);
    assert.deepEqual(body.items.map((r: any) => r.reply), ['452 4.5.3 Daily recipient quota exhausted']);
  });

  it('pages with the cursor it returns', async () => {
    const first = await http('GET', `/v1/rejections?${RANGE}&limit=3`);
    assert.equal(first.body.items.length, 3);
    assert.ok(first.body.nextCursor);
    const second = await http('GET', `/v1/rejections?${RANGE}&limit=3&cursor=${first.body.nextCursor}`);
    assert.deepEqual(second.body.items.map((r: any) => r.reason), ['sender_not_owned']);
    assert.equal(second.body.nextCursor, null);
  });

  it('shows another tenant none of them', async () => {
    assert.deepEqual((await otherHttp('GET', `/v1/rejections?${RANGE}&reason=sender_not_owned`)).body.items, []);
    assert.deepEqual((await otherHttp('GET', `/v1/rejections/reasons?${RANGE}`)).body.reasons, [{ reason: 'suppressed', count: 1 }]);
  });

  it('refuses a reason that is not a refusal code, a range over 31 days and a forged cursor, naming the field', async () => {
    await assertFieldErrors(http, [
      [`/v1/rejections?${RANGE}&reason=${encodeURIComponent("x' OR 1=1 --")}`, 'reason'],
      ['/v1/rejections?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z', 'from'],
      ['/v1/rejections/reasons?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z', 'to'],
      ['/v1/rejections?cursor=1-2-3', 'cursor'],
      [`/v1/rejections?limit=${'9'.repeat(400)}`, 'limit'],
      ['/v1/rejections/reasons?tenantId=x', 'tenantId'],
      // Instants Postgres and JavaScript disagree on, and an id past int8.
      ['/v1/rejections/reasons?to=0000-01-01T00:00:00Z', 'to'],
      [`/v1/rejections?cursor=1-${'9'.repeat(19)}`, 'cursor'],
      ['/v1/rejections?limit=0x10', 'limit'],
    ]);
  });

  it('is for signed-in members only', async () => {
    assert.equal((await httpClient(app.url)('GET', `/v1/rejections/reasons?${RANGE}`)).status, 401);
  });
});
