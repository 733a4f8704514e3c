#!/usr/bin/env node
// Runs the demo stack's processes after tools/demo.sh has prepared Postgres, Redis and the build.
// Secrets for the demo are generated once into .data/demo.env (git-ignored) so restarts keep the same login; when
// they do not match the database, the demo reseeds it (tools/lib/demo-state.mjs says why).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { readableLine } from './lib/demo-log.mjs';
import { demoSecrets, resetDemoState, secretsMatchDatabase } from './lib/demo-state.mjs';

const root = resolve(import.meta.dirname, '..');
// Every port, the data directory and the Redis prefix can be moved (DEMO_* variables, README), so a second demo or
// the demo's own test runs beside a first one on the same machine.
const setting = (name, fallback) => process.env[name] || fallback;
const ports = {
  api: setting('DEMO_API_PORT', '3000'),
  submission: setting('DEMO_SUBMISSION_PORT', '2587'),
  submissions: setting('DEMO_SUBMISSIONS_PORT', '2465'),
  inbound: setting('DEMO_INBOUND_PORT', '2525'),
  health: setting('DEMO_HEALTH_PORT', '2580'),
  sink: setting('DEMO_SINK_PORT', '2526'),
  stripe: setting('DEMO_STRIPE_PORT', '12111'),
};
const dataDir = resolve(setting('DEMO_DATA_DIR', join(root, '.data')));
const apiUrl = `http://127.0.0.1:${ports.api}`;
const children = [];
let stopping = false;

const secrets = demoSecrets(dataDir);
const env = {
  ...process.env,
  ...secrets,
  NODE_ENV: 'development',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  REDIS_PREFIX: setting('DEMO_REDIS_PREFIX', 'smarthost'),
  API_PORT: ports.api,
  PUBLIC_URL: apiUrl,
  WEB_DIST_DIR: join(root, 'apps/web/dist'),
  API_URL: apiUrl,
  RELAY_HOSTNAME: 'localhost',
  // What the dashboard tells customers to connect to: the relay below, with the certificate it generates.
  SMTP_PUBLIC_HOST: 'localhost',
  SMTP_PUBLIC_PORTS: `${ports.submission}/starttls,${ports.submissions}/tls`,
  SMTP_TLS_CERTIFICATE: 'self-signed',
  SUBMISSION_PORT: ports.submission,
  SUBMISSIONS_PORT: ports.submissions,
  INBOUND_PORT: ports.inbound,
  HEALTH_PORT: ports.health,
  SINK_PORT: ports.sink,
  POLICY_CACHE_FILE: join(dataDir, 'relay-policy.json'),
  RELAY_ROLE: 'all',
  // The demo's "internet" is the local sink: every outbound message goes there (Postfix's relayhost).
  DELIVERY_RELAYHOST: `127.0.0.1:${ports.sink}`,
  // Its DNS knows only the demo domain, so real blocklists cannot be asked: monitoring is off, and says so.
  DNSBL_IP_ZONES: '',
  DNSBL_DOMAIN_ZONES: '',
  // Billing goes to the local Stripe stand-in: "Choose a plan" opens its checkout page, whose webhooks change the plan.
  STRIPE_API_URL: `http://127.0.0.1:${ports.stripe}`,
  STRIPE_PRICES: 'starter=price_starter,pro=price_pro',
};

function start(name, script, extraEnv = {}) {
  const child = spawn(process.execPath, ['--enable-source-maps', script], {
    cwd: root,
    env: { ...env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `\x1b[2m${name.padEnd(6)}|\x1b[0m `;
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream.on('data', (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop();
      for (const line of lines) process.stdout.write(readableLine(line).replace(/^/gm, prefix) + '\n');
    });
  }
  child.on('exit', (code, signal) => {
    if (!stopping) {
      process.stdout.write(`${prefix}exited (${signal ?? code}); stopping the demo\n`);
      void stop(1);
    }
  });
  children.push(child);
  return child;
}

function run(script, args = []) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: root, env, stdio: 'inherit' });
    child.on('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`${script} exited with ${code}`))));
  });
}

async function waitReady(url, name) {
  for (let i = 0; i < 300; i++) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} did not become ready at ${url}`);
}

async function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  const deadline = setTimeout(() => children.forEach((c) => c.kill('SIGKILL')), 10_000);
  await Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode ? null : new Promise((r) => c.on('exit', r)))));
  clearTimeout(deadline);
  process.exit(code);
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

/**
 * The demo domain lives under .local, which no public DNS serves, so the demo runs its own DNS server on loopback
 * publishing exactly the records the API asks the customer to publish for it; the API verifies through it.
 */
async function startDemoDns() {
  const require = createRequire(import.meta.url);
  const { startDnsServer } = require('../libs/testkit/dist/index.js');
  const { Client } = require('pg');
  const dns = await startDnsServer();
  const db = new Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  const { rows } = await db.query(
    `SELECT r.host, r.type, r.value FROM domain_dns_records r JOIN domains d ON d.id = r."domainId" WHERE d.name = $1`,
    ['demo.smarthost.local'],
  );
  await db.end();
  for (const record of rows) {
    if (record.type === 'TXT') dns.set(record.host, 'TXT', [record.value]);
    if (record.type === 'CNAME') dns.set(record.host, 'CNAME', [record.value]);
  }
  dns.set('localhost', 'A', ['127.0.0.1']);
  return dns;
}

/** The demo's own database is reseeded when its secrets do not open it; one given as DATABASE_URL never is. */
async function matchSecretsAndDatabase() {
  if (await secretsMatchDatabase(env.DATABASE_URL, secrets)) return;
  const name = new URL(env.DATABASE_URL).pathname.slice(1);
  const file = join(dataDir, 'demo.env');
  if (process.env.DEMO_OWNS_DATABASE !== 'true') {
    throw new Error(
      `the DKIM keys in ${name} (DATABASE_URL) were sealed with another DKIM_MASTER_KEY than the one in ${file}. ` +
        `Put that key into ${file}, or unset DATABASE_URL to use the demo's own database, or start ${name} over: ` +
        'DATABASE_URL=<its url> npm run db:reset',
    );
  }
  process.stdout.write(
    `[smarthost] database ${name} was seeded with other secrets than ${file} (another clone, or .data/ was removed): ` +
      'its DKIM keys cannot be opened, so the demo resets it and seeds it again\n',
  );
  await resetDemoState({ databaseUrl: env.DATABASE_URL, redisUrl: env.REDIS_URL, redisPrefix: env.REDIS_PREFIX, dataDir });
}

async function main() {
  await matchSecretsAndDatabase();
  await run('apps/api/dist/seed/seed.main.js');
  const dns = await startDemoDns();
  env.DNS_SERVERS = dns.server;
  process.on('exit', () => void dns.close());
  start('sink', 'tools/sink-mx.mjs');
  start('stripe', 'tools/fake-stripe.mjs', {
    FAKE_STRIPE_PORT: ports.stripe,
    STRIPE_PRICES: 'starter=price_starter:1500,pro=price_pro:7500',
    STRIPE_WEBHOOK_URL: `${apiUrl}/v1/billing/stripe-webhook`,
    FAKE_STRIPE_STATE_FILE: join(dataDir, 'fake-stripe.json'),
  });
  start('api', 'apps/api/dist/main.js');
  await waitReady(`${apiUrl}/readyz`, 'api');
  start('relay', 'apps/relay/dist/main.js');
  await waitReady(`http://127.0.0.1:${env.HEALTH_PORT}/readyz`, 'relay');
  process.stdout.write(`
  Smarthost is running.

    Dashboard      ${apiUrl}/          log in as demo@smarthost.local / ${secrets.DEMO_PASSWORD}
    API docs       ${apiUrl}/docs
    Health         ${apiUrl}/readyz    http://127.0.0.1:${env.HEALTH_PORT}/readyz (relay)
    SMTP           localhost:${ports.submission} (STARTTLS), localhost:${ports.submissions} (TLS), inbound localhost:${ports.inbound}
                   user smtp_demo   password ${secrets.DEMO_SMTP_PASSWORD}
    Sink MX        127.0.0.1:${env.SINK_PORT} (delivered mail is logged here)
    Demo DNS       ${env.DNS_SERVERS} (publishes demo.smarthost.local's records)
    Stripe         ${env.STRIPE_API_URL} (a local stand-in: Billing → Choose a plan → Pay, no card needed)

    Try: swaks --server localhost:${ports.submission} --tls --auth-user smtp_demo --auth-password '${secrets.DEMO_SMTP_PASSWORD}' \\
           --from hello@demo.smarthost.local --to someone@example.com

  Ctrl-C stops everything.
`);
}

main().catch((error) => {
  process.stderr.write(`demo failed: ${error.message}\n`);
  void stop(1);
});
