import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { createPrismaClient, type PrismaClient } from '@smarthost/db';
import { testDatabase, type TestDatabase } from '@smarthost/testkit';
import { verifyPassword } from '../auth/passwords';
import { DEMO_EMAIL, seedDemo } from './demo';
import { PLANS, seedPlans } from './plans';

describe('seeding', () => {
  let database: TestDatabase;
  let prisma: PrismaClient;

  before(async () => {
    database = await testDatabase();
    prisma = createPrismaClient(database.url);
  });
  after(async () => {
    await prisma.$disconnect();
    await database.drop();
  });

  it('upserts the plans idempotently, restoring a changed limit', async () => {
    await seedPlans(prisma);
    await prisma.plan.update({ where: { id: 'pro' }, data: { messagesPerDay: 1 } });
    await seedPlans(prisma);
    const plans = await prisma.plan.findMany({ orderBy: { priceCents: 'asc' } });
    assert.deepEqual(plans.map((p) => p.id), ['free', 'starter', 'pro']);
    const pro = plans.find((p) => p.id === 'pro')!;
    assert.equal(pro.messagesPerDay, PLANS[2].messagesPerDay);
  });

  it('creates the demo owner and tenant once, resetting only the password on a re-run', async () => {
    await seedPlans(prisma);
    const first = await seedDemo(prisma, 'first demo password');
    const second = await seedDemo(prisma, 'second demo password');
    assert.deepEqual(second, first);
    const user = await prisma.user.findUniqueOrThrow({ where: { email: DEMO_EMAIL }, include: { memberships: { include: { tenant: true } } } });
    assert.equal(await verifyPassword(user.passwordHash, 'second demo password'), true);
    assert.deepEqual(user.memberships.map((m) => [m.tenant.name, m.tenant.slug, m.role]), [['Demo', 'demo', 'owner']]);
    assert.equal(await prisma.policyChange.count({ where: { tenantId: first.tenantId } }), 1);
  });

  it('runs as `npm run db:seed` does, and refuses a short DEMO_PASSWORD naming the variable', async () => {
    const script = join(__dirname, 'seed.main.js');
    const run = promisify(execFile);
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: database.url, DEMO_PASSWORD: 'too short' };
    await assert.rejects(run(process.execPath, [script], { env }), (error: { stderr: string }) => /DEMO_PASSWORD/.test(error.stderr));
    delete env.DEMO_PASSWORD;
    const ok = await run(process.execPath, [script], { env });
    assert.match(ok.stdout, /demo@smarthost\.local \/ smarthost-demo-password/);
    const user = await prisma.user.findUniqueOrThrow({ where: { email: DEMO_EMAIL } });
    assert.equal(await verifyPassword(user.passwordHash, 'smarthost-demo-password'), true);
  });
});
