import { ConfigError } from '@smarthost/config';
import { createPrismaClient } from '@smarthost/db';
import { DEMO_EMAIL, seedDemo } from './demo';
import { seedPlans } from './plans';
import { DEFAULT_DEMO_PASSWORD, loadSeedConfig } from './seed-config';

/** `npm run db:seed`: the plans every database needs, then the demo account. Safe to run again. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadSeedConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`smarthost-seed: ${error.message}\n`);
    process.exit(1);
  }
  const prisma = createPrismaClient(config.DATABASE_URL, { applicationName: 'smarthost-seed' });
  try {
    await seedPlans(prisma);
    await seedDemo(prisma, config.DEMO_PASSWORD);
  } finally {
    await prisma.$disconnect();
  }
  // An operator's terminal, not a log: the default password is printed so the demo can be logged into.
  const password = config.DEMO_PASSWORD === DEFAULT_DEMO_PASSWORD ? DEFAULT_DEMO_PASSWORD : '(from DEMO_PASSWORD)';
  process.stdout.write(`seeded plans free, starter, pro; demo login ${DEMO_EMAIL} / ${password}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`smarthost-seed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
