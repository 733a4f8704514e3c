import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PrismaClient } from '@smarthost/db';
import { createTenantFixture, httpClient, type TenantFixture } from '../test/fixtures';
import { startTestApp, type TestApp } from '../test/test-app';
import { errorResponse } from './http-error.filter';

const NOWHERE = '01900000-0000-7000-8000-000000000000';

/** The real error Prisma throws for `action` against the real database. */
async function prismaError(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected Prisma to fail');
}

/** Each class maps to its 4xx, and the body says nothing about tables, columns or Postgres. */
function assertMapped(error: unknown, prismaCode: string, status: number, code: string): void {
  assert.equal((error as { code?: string }).code, prismaCode, String(error));
  const mapped = errorResponse(error, 'corr-1');
  assert.equal(mapped.status, status, JSON.stringify(mapped.body));
  assert.equal(mapped.body.error.code, code);
  assert.equal(mapped.fromDatabase, true);
  assert.doesNotMatch(JSON.stringify(mapped.body), /suppression|tenants|plans|audit|postgres|syntax|0x00|violates|constraint|range for/i);
}

describe('Prisma errors that input can cause are 4xx (issue 13)', () => {
  let app: TestApp;
  let prisma: PrismaClient;
  let tenant: TenantFixture;

  before(async () => {
    app = await startTestApp();
    prisma = app.prisma;
    tenant = await createTenantFixture(prisma);
  });
  after(() => app.close());

  const suppression = (address: string) => prisma.suppression.create({ data: { tenantId: tenant.tenantId, address, reason: 'manual' } });

  it('P2002 unique constraint → 409', async () => {
    await suppression('twice@example.test');
    assertMapped(await prismaError(() => suppression('twice@example.test')), 'P2002', 409, 'conflict');
  });

  it('P2003 foreign key → 409', async () => {
    const error = await prismaError(() => prisma.suppression.create({ data: { tenantId: NOWHERE, address: 'a@example.test', reason: 'manual' } }));
    assertMapped(error, 'P2003', 409, 'conflict');
  });

  it('P2025 record to update not found → 404', async () => {
    assertMapped(await prismaError(() => prisma.suppression.update({ where: { id: NOWHERE }, data: { detail: 'x' } })), 'P2025', 404, 'not_found');
  });

  it('P2020 integer beyond int4, bigint beyond int8 → 400', async () => {
    const plan = { name: 'Big', messagesPerMonth: 1, messagesPerMinute: 1, recipientsPerMessage: 1, maxMessageBytes: 1 };
    assertMapped(await prismaError(() => prisma.plan.create({ data: { ...plan, id: 'big', messagesPerDay: 2 ** 31 } })), 'P2020', 400, 'validation_failed');
    assertMapped(await prismaError(() => prisma.auditLog.findMany({ where: { id: { lt: 10n ** 19n } } })), 'P2020', 400, 'validation_failed');
  });

  it('P2007 text that is not a UUID, JSON with a lone surrogate → 400', async () => {
    assertMapped(await prismaError(() => prisma.tenant.findUnique({ where: { id: 'ffffffff-ffff-ffff-ffff-fffffffffff-' } })), 'P2007', 400, 'validation_failed');
    const lone = await prismaError(() => prisma.auditLog.create({ data: { action: 'a.b', metadata: { name: '\ud800' } } }));
    assertMapped(lone, 'P2007', 400, 'validation_failed');
  });

  it('P2039 Postgres data exceptions (NUL in text, NUL in jsonb, a date before year 1) → 400', async () => {
    assertMapped(await prismaError(() => prisma.tenant.update({ where: { id: tenant.tenantId }, data: { name: 'a\u0000b' } })), 'P2039', 400, 'validation_failed');
    assertMapped(await prismaError(() => prisma.auditLog.create({ data: { action: 'a.b', metadata: { x: '\u0000' } } })), 'P2039', 400, 'validation_failed');
    const ancient = await prismaError(() => prisma.apiKey.findMany({ where: { createdAt: { gte: new Date('0000-01-01T00:00:00Z') } } }));
    assertMapped(ancient, 'P2039', 400, 'validation_failed');
  });

  it('P2010 raw queries: data exceptions → 400, constraint violations → 409', async () => {
    assertMapped(await prismaError(() => prisma.$queryRaw`SELECT ${'a\u0000'}::text`), 'P2010', 400, 'validation_failed');
    assertMapped(await prismaError(() => prisma.$queryRaw`SELECT ${'zz'}::uuid`), 'P2010', 400, 'validation_failed');
    await suppression('raw@example.test');
    const duplicate = await prismaError(
      () => prisma.$executeRaw`INSERT INTO suppressions (id, "tenantId", address, reason) VALUES (gen_random_uuid(), ${tenant.tenantId}::uuid, 'raw@example.test', 'manual')`,
    );
    assertMapped(duplicate, 'P2010', 409, 'conflict');
  });

  it('P2034 deadlock between two writers → 409', async () => {
    const [a, b] = [await suppression('lock-a@example.test'), await suppression('lock-b@example.test')];
    let arrived = 0;
    let bothHold!: () => void;
    const barrier = new Promise<void>((resolve) => (bothHold = resolve));
    const crosswise = (first: string, second: string) =>
      prisma.$transaction(
        async (tx) => {
          await tx.suppression.update({ where: { id: first }, data: { detail: 'first' } });
          if (++arrived === 2) bothHold();
          await barrier;
          await tx.suppression.update({ where: { id: second }, data: { detail: 'second' } });
        },
        { timeout: 30_000 },
      );
    const outcomes = await Promise.allSettled([crosswise(a.id, b.id), crosswise(b.id, a.id)]);
    const failed = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    assert.equal(failed.length, 1, 'Postgres breaks the deadlock by failing one of them');
    assertMapped(failed[0]!.reason, 'P2034', 409, 'conflict');
  });

  it('a real internal fault is a 500 that says nothing internal, with a correlation id that is in the log', async () => {
    await prisma.$executeRawUnsafe('DROP TABLE audit_logs CASCADE');
    const result = await httpClient(app.url, tenant.auth)('GET', '/v1/audit');
    assert.equal(result.status, 500);
    const { correlationId, ...rest } = result.body.error;
    assert.deepEqual(rest, { code: 'internal', message: 'internal error' });
    assert.equal(result.headers.get('x-request-id'), correlationId);
    const logged = app.logs.find((line) => line.includes(correlationId) && line.includes('request failed'));
    assert.ok(logged, 'the log line with the stack carries the same id');
    assert.match(logged, /audit_logs/, 'the detail is in the log, not the response');
  });
});
