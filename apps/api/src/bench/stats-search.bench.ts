import 'reflect-metadata';
import type { PrismaClient } from '@smarthost/db';
import { createTenantFixture, httpClient } from '../test/fixtures';
import { startTestApp } from '../test/test-app';

/**
 * Stats and message search over ≥ 1,000,000 delivery events: the API (rollups + the messages table, over real
 * HTTP) next to the same questions asked straight of the raw delivery_events table. Seeds a fresh database
 * cloned from the migrated template with generate_series, so seeding takes seconds, not minutes.
 * Run: node apps/api/dist/bench/stats-search.bench.js [--events=1000000] [--iterations=100]
 */

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const TARGET_EVENTS = arg('events', 1_000_000);
const ITERATIONS = arg('iterations', 100);
const TENANTS = 4;
const DOMAINS_PER_TENANT = 3;
// Per message: accepted + one outcome, plus a deferral and a retry for 2 in 20 → 2.1 event rows on average.
const EVENTS_PER_MESSAGE = 2.1;
const SPAN_MS = 30 * 24 * 3600 * 1000;

const out = (line: string) => process.stdout.write(`${line}\n`);

interface Question {
  name: string;
  api: (tenant: number) => string;
  raw: (prisma: PrismaClient, tenantId: string, tenant: number) => Promise<unknown>;
}

async function main(): Promise<void> {
  const started = Date.now();
  const app = await startTestApp({ LOG_LEVEL: 'warn', WORKERS: 'false' });
  try {
    const tenants = await Promise.all(Array.from({ length: TENANTS }, () => createTenantFixture(app.prisma, 'viewer')));
    const seedStart = Date.now();
    const { messages, events, rollups, base } = await seed(app.prisma, tenants.map((t) => t.tenantId));
    out(`seeded ${messages} messages, ${events} delivery events, ${rollups} hourly rollups for ${TENANTS} tenants in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);
    const from = base.toISOString();
    const to = new Date(base.getTime() + SPAN_MS).toISOString();
    const lastDay = new Date(base.getTime() + SPAN_MS - 86_400_000).toISOString();
    const clients = tenants.map((t) => httpClient(app.url, t.auth));
    const questions = buildQuestions(from, to, lastDay);
    out(`\n${'question'.padEnd(34)} ${'API p50'.padStart(9)} ${'API p95'.padStart(9)} ${'raw p50'.padStart(9)} ${'raw p95'.padStart(9)} ${'raw/API p50'.padStart(12)}`);
    for (const question of questions) {
      const api = await measure(async (i) => {
        const result = await clients[i % TENANTS]!('GET', question.api(i % TENANTS));
        if (result.status !== 200) throw new Error(`${question.name}: HTTP ${result.status} ${JSON.stringify(result.body)}`);
      });
      const raw = await measure((i) => question.raw(app.prisma, tenants[i % TENANTS]!.tenantId, i % TENANTS));
      out(`${question.name.padEnd(34)} ${ms(api.p50)} ${ms(api.p95)} ${ms(raw.p50)} ${ms(raw.p95)} ${(raw.p50 / api.p50).toFixed(1).padStart(11)}×`);
    }
    out(`\nAPI = over HTTP through the real app (auth, validation, JSON); raw = one SQL statement on delivery_events.`);
    out(`total ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await app.close();
  }
}

const ms = (value: number) => `${value.toFixed(1)} ms`.padStart(9);

async function measure(run: (i: number) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 5; i += 1) await run(i); // warm the connection pools and caches
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i += 1) {
    const start = process.hrtime.bigint();
    await run(i);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { p50: at(0.5), p95: at(0.95) };
}

/** The same question both ways; recipients are `user<k>@dest<k%10>.test` and belong to tenant k % 4. */
function buildQuestions(from: string, to: string, lastDay: string): Question[] {
  const recipient = (tenant: number) => `user${tenant + 4 * 1234}@dest${(tenant + 4 * 1234) % 10}.test`;
  const bucketSql = (unit: 'hour' | 'day', since: string) => (prisma: PrismaClient, tenantId: string) => prisma.$queryRaw`
    SELECT date_trunc(${unit}, "occurredAt") AS bucket, type, count(*)::int AS n FROM delivery_events
    WHERE "tenantId" = ${tenantId}::uuid AND "occurredAt" >= ${since}::timestamp AND "occurredAt" < ${to}::timestamp
    GROUP BY 1, 2 ORDER BY 1`;
  return [
    { name: 'stats: 30 days by day', api: () => `/v1/stats?granularity=day&from=${from}&to=${to}`, raw: bucketSql('day', from) },
    { name: 'stats: last 24 h by hour', api: () => `/v1/stats?granularity=hour&from=${lastDay}&to=${to}`, raw: bucketSql('hour', lastDay) },
    {
      name: 'stats: 30 days per domain',
      api: () => `/v1/stats/domains?from=${from}&to=${to}`,
      raw: (prisma, tenantId) => prisma.$queryRaw`
        SELECT domain, type, count(*)::int AS n FROM delivery_events
        WHERE "tenantId" = ${tenantId}::uuid AND "occurredAt" >= ${from}::timestamp AND "occurredAt" < ${to}::timestamp GROUP BY 1, 2`,
    },
    {
      name: 'search: by recipient, newest 50',
      api: (tenant) => `/v1/messages?limit=50&recipient=${encodeURIComponent(recipient(tenant))}`,
      raw: (prisma, tenantId, tenant) => prisma.$queryRaw`
        SELECT "messageId", min("occurredAt") AS at FROM delivery_events
        WHERE "tenantId" = ${tenantId}::uuid AND recipient = ${recipient(tenant)} GROUP BY 1 ORDER BY 2 DESC LIMIT 50`,
    },
    {
      name: 'search: bounced, newest 50',
      api: () => '/v1/messages?limit=50&status=bounced',
      raw: (prisma, tenantId) => prisma.$queryRaw`
        SELECT "messageId", "occurredAt" FROM delivery_events
        WHERE "tenantId" = ${tenantId}::uuid AND type = 'bounced' ORDER BY "occurredAt" DESC LIMIT 50`,
    },
    { name: 'search: newest 50', api: () => '/v1/messages?limit=50', raw: (prisma, tenantId) => prisma.$queryRaw`
        SELECT DISTINCT ON ("occurredAt", "messageId") "messageId", "occurredAt" FROM delivery_events
        WHERE "tenantId" = ${tenantId}::uuid AND type = 'accepted' ORDER BY "occurredAt" DESC, "messageId" LIMIT 50` },
  ];
}

async function seed(prisma: PrismaClient, tenantIds: string[]) {
  const count = Math.ceil(TARGET_EVENTS / EVENTS_PER_MESSAGE);
  const base = new Date(Math.floor((Date.now() - SPAN_MS) / 3_600_000) * 3_600_000);
  const slots = tenantIds.flatMap((tenantId, t) => Array.from({ length: DOMAINS_PER_TENANT }, (_, d) => ({ tenantId, name: `d${d}.tenant${t}.example`, slot: d * TENANTS + t })));
  for (const slot of slots) {
    const row = await prisma.domain.create({ data: { tenantId: slot.tenantId, name: slot.name, verifiedName: slot.name, status: 'verified', verificationToken: 'bench' } });
    await prisma.$executeRaw`CREATE TABLE IF NOT EXISTS bench_slots (slot int PRIMARY KEY, tenant uuid, domain_id uuid, domain_name text)`;
    await prisma.$executeRaw`INSERT INTO bench_slots VALUES (${slot.slot}, ${slot.tenantId}::uuid, ${row.id}::uuid, ${slot.name})`;
  }
  // A ULID from a time and a unique number, so ids sort by acceptance time exactly as the relay's do.
  await prisma.$executeRawUnsafe(`
    CREATE FUNCTION bench_ulid(ts timestamp, n bigint) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
    DECLARE alphabet text := '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; t bigint := floor(extract(epoch FROM ts) * 1000); r bigint := n; result text := '';
    BEGIN
      FOR i IN 1..10 LOOP result := substr(alphabet, (t % 32)::int + 1, 1) || result; t := t / 32; END LOOP;
      FOR i IN 1..16 LOOP result := result || substr(alphabet, (r % 32)::int + 1, 1); r := r / 32; END LOOP;
      RETURN result;
    END $$`);
  // Slot g % 12 gives tenant g % 4 and recipient user<g % 20000>: every address belongs to one tenant only.
  await prisma.$executeRaw`
    CREATE UNLOGGED TABLE bench_gen AS
    SELECT g, bench_ulid(at, g) AS id, s.tenant, s.domain_id, s.domain_name, at,
           'user' || (g % 20000) || '@dest' || (g % 20000 % 10) || '.test' AS rcpt
    FROM generate_series(1, ${count}::int) AS g
    CROSS JOIN LATERAL (SELECT ${base.toISOString()}::timestamp + ((g::bigint * ${SPAN_MS}::bigint) / ${count}::int) * interval '1 millisecond' AS at) a
    JOIN bench_slots s ON s.slot = g % ${TENANTS * DOMAINS_PER_TENANT}::int`;
  await prisma.$executeRaw`
    INSERT INTO messages (id, "tenantId", "domainId", "mailFrom", "sizeBytes", "recipientCount", status, "acceptedAt", "updatedAt")
    SELECT id, tenant, domain_id, 'app' || (g % 7) || '@' || domain_name, 2000 + g % 5000, 1,
           (CASE WHEN g % 20 = 0 THEN 'bounced' WHEN g % 20 = 1 THEN 'deferred' ELSE 'delivered' END)::"MessageStatus", at, at
    FROM bench_gen`;
  await prisma.$executeRaw`
    INSERT INTO message_recipients ("messageId", address, "tenantId", status, attempts, "updatedAt")
    SELECT id, rcpt, tenant, (CASE WHEN g % 20 = 0 THEN 'bounced' WHEN g % 20 = 1 THEN 'deferred' ELSE 'delivered' END)::"RecipientStatus",
           CASE WHEN g % 20 IN (2, 3) THEN 2 ELSE 1 END, at
    FROM bench_gen`;
  await prisma.$executeRaw`
    INSERT INTO delivery_events ("eventKey", "tenantId", "messageId", domain, recipient, type, "smtpCode", "relayNode", "occurredAt")
    SELECT s.id || ':' || e.k, s.tenant, s.id, s.domain_name, s.rcpt, e.type::"EventType", e.code, 'bench-node', s.at + e.delay * interval '1 second'
    FROM bench_gen s CROSS JOIN LATERAL (VALUES
      ('a', 'accepted', 250, 0, true),
      ('b', 'bounced', 550, 5, s.g % 20 = 0),
      ('d', 'deferred', 451, 5, s.g % 20 IN (1, 2, 3)),
      ('v', 'delivered', 250, 5, s.g % 20 >= 4),
      ('w', 'delivered', 250, 300, s.g % 20 IN (2, 3))) AS e(k, type, code, delay, keep)
    WHERE e.keep`;
  // The rollups the ingest would have written for exactly these events.
  const rollups = await prisma.$executeRaw`
    INSERT INTO stats_hourly ("tenantId", hour, domain, accepted, delivered, deferred, bounced)
    SELECT "tenantId", date_trunc('hour', "occurredAt"), coalesce(domain, ''),
           count(*) FILTER (WHERE type = 'accepted'), count(*) FILTER (WHERE type = 'delivered'),
           count(*) FILTER (WHERE type = 'deferred'), count(*) FILTER (WHERE type = 'bounced')
    FROM delivery_events GROUP BY 1, 2, 3`;
  await prisma.$executeRawUnsafe('ANALYZE');
  const events = await prisma.deliveryEvent.count();
  return { messages: count, events, rollups, base };
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
