// The demo's secrets and its database belong together. The secrets live in <data dir>/demo.env, the database in
// Postgres; a second clone, a deleted .data/ or a database restored from elsewhere pairs fresh secrets with a
// database whose DKIM keys were sealed under another master key, which no one can open. The demo reseeds then:
// it resets its own database (and the Redis keys, policy cache and Stripe state made against it) and seeds it
// again under the secrets it has. Why not the alternatives: a database name per checkout still breaks on a
// deleted .data/, and keeping the secrets in the database would put the DKIM master key next to the keys it seals.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

/** Generated once into <dataDir>/demo.env (mode 600) so restarts keep the same login; missing ones are added. */
export function demoSecrets(dataDir) {
  const { generatePassword } = require(join(root, 'apps/api/dist/credentials/generate-credential.js'));
  const file = join(dataDir, 'demo.env');
  const kept = existsSync(file)
    ? Object.fromEntries(readFileSync(file, 'utf8').trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2)))
    : {};
  const fresh = {
    SESSION_SECRET: randomBytes(32).toString('hex'),
    DKIM_MASTER_KEY: randomBytes(32).toString('hex'),
    OPERATOR_TOKEN: randomBytes(32).toString('hex'),
    RELAY_NODE_TOKEN: `shn_${randomBytes(24).toString('base64url')}`,
    RETURN_PATH_KEY: randomBytes(32).toString('hex'),
    DEMO_PASSWORD: `demo-${randomBytes(6).toString('base64url')}`,
    // As the API makes SMTP passwords: letters and digits, safe after `swaks --auth-password`.
    DEMO_SMTP_PASSWORD: generatePassword(),
    // The demo's Stripe is a local stand-in (tools/fake-stripe.mjs); these are its keys, not real ones.
    STRIPE_SECRET_KEY: `sk_test_${randomBytes(12).toString('hex')}`,
    STRIPE_WEBHOOK_SECRET: `whsec_${randomBytes(16).toString('hex')}`,
  };
  // Secrets added by a newer demo are made for an older demo.env; the ones it has are kept.
  const secrets = { ...fresh, ...kept };
  if (Object.keys(secrets).length !== Object.keys(kept).length) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, Object.entries(secrets).map(([k, v]) => `${k}=${v}`).join('\n') + '\n', { mode: 0o600 });
  }
  return secrets;
}

/**
 * Whether these secrets open the DKIM keys stored in the database: the one secret the database depends on (SMTP
 * password, node token and login are re-seeded as digests every start). Asked exactly as the API asks at start-up.
 */
export async function secretsMatchDatabase(databaseUrl, secrets) {
  const { createPrismaClient } = require(join(root, 'libs/db/dist/index.js'));
  const { dkimKeyring } = require(join(root, 'apps/api/dist/dkim/dkim-crypto.js'));
  const { assertKeyringOpensStoredKeys, StoredKeysSealedElsewhereError } = require(join(root, 'apps/api/dist/dkim/keyring-check.js'));
  const prisma = createPrismaClient(databaseUrl, { poolSize: 1, applicationName: 'smarthost-demo' });
  try {
    await assertKeyringOpensStoredKeys(prisma, dkimKeyring({ DKIM_MASTER_KEY: secrets.DKIM_MASTER_KEY, DKIM_MASTER_KEY_ID: 'k1' }));
    return true;
  } catch (error) {
    if (error instanceof StoredKeysSealedElsewhereError) return false;
    throw error;
  } finally {
    await prisma.$disconnect();
  }
}

/** Everything the demo made against its old database: the database itself, its Redis keys, the relay's policy cache, the Stripe stand-in's customers. */
export async function resetDemoState({ databaseUrl, redisUrl, redisPrefix, dataDir }) {
  await runNode(['libs/db/dist/cli.js', 'reset'], { DATABASE_URL: databaseUrl, NODE_ENV: 'development' });
  const { Redis } = require('ioredis');
  const { deleteByPattern } = require(join(root, 'libs/testkit/dist/index.js'));
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  try {
    await deleteByPattern(redis, `${redisPrefix}:*`);
  } finally {
    redis.disconnect();
  }
  for (const file of ['relay-policy.json', 'fake-stripe.json']) rmSync(join(dataDir, file), { force: true });
}

function runNode(args, env) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`${args.join(' ')} exited with ${code}`))));
  });
}
