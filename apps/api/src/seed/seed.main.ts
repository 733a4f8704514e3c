import { ConfigError } from '@smarthost/config';
import { createPrismaClient } from '@smarthost/db';
import { dkimKeyring } from '../dkim/dkim-crypto';
import { DEMO_EMAIL, seedDemo } from './demo';
import { DEMO_DOMAIN, DEMO_SMTP_USERNAME, seedDemoRelay } from './demo-relay';
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
    const demo = await seedDemo(prisma, config.DEMO_PASSWORD);
    const { DEMO_SMTP_PASSWORD: smtpPassword, RELAY_NODE_TOKEN: nodeToken, DKIM_MASTER_KEY } = config;
    if (smtpPassword && nodeToken && DKIM_MASTER_KEY) {
      const keyring = dkimKeyring({ DKIM_MASTER_KEY, DKIM_MASTER_KEY_ID: config.DKIM_MASTER_KEY_ID });
      await seedDemoRelay(prisma, demo.tenantId, { smtpPassword, nodeToken, keyring, relayHostname: config.RELAY_HOSTNAME });
      process.stdout.write(`seeded domain ${DEMO_DOMAIN} (verified, DKIM active), SMTP user ${DEMO_SMTP_USERNAME}, relay node\n`);
    }
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
