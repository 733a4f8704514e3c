#!/usr/bin/env node
// Runs the demo stack's processes after tools/demo.sh has prepared Postgres, Redis and the build.
// Secrets for the demo are generated once into .data/demo.env (git-ignored) so restarts keep the same login.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const { generatePassword } = createRequire(import.meta.url)(join(root, 'apps/api/dist/credentials/generate-credential.js'));
const dataDir = join(root, '.data');
const children = [];
let stopping = false;

function demoSecrets() {
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
  // Secrets added by a newer demo are made for an older .data/demo.env; the ones it has are kept.
  const secrets = { ...fresh, ...kept };
  if (Object.keys(secrets).length !== Object.keys(kept).length) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, Object.entries(secrets).map(([k, v]) => `${k}=${v}`).join('\n') + '\n', { mode: 0o600 });
  }
  return secrets;
}

const secrets = demoSecrets();
const env = {
  ...process.env,
  ...secrets,
  NODE_ENV: 'development',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  REDIS_PREFIX: 'smarthost',
  API_PORT: '3000',
  PUBLIC_URL: 'http://127.0.0.1:3000',
  WEB_DIST_DIR: join(root, 'apps/web/dist'),
  API_URL: 'http://127.0.0.1:3000',
  RELAY_HOSTNAME: 'localhost',
  SUBMISSION_PORT: '2587',
  SUBMISSIONS_PORT: '2465',
  INBOUND_PORT: '2525',
  HEALTH_PORT: '2580',
  SINK_PORT: '2526',
  POLICY_CACHE_FILE: join(dataDir, 'relay-policy.json'),
  RELAY_ROLE: 'all',
  // The demo's "internet" is the local sink: every outbound message goes there (Postfix's relayhost).
  DELIVERY_RELAYHOST: '127.0.0.1:2526',
  // Its DNS knows only the demo domain, so real blocklists cannot be asked: monitoring is off, and says so.
  DNSBL_IP_ZONES: '',
  DNSBL_DOMAIN_ZONES: '',
  // Billing goes to the local Stripe stand-in: "Choose a plan" opens its checkout page, whose webhooks change the plan.
  STRIPE_API_URL: 'http://127.0.0.1:12111',
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
      for (const line of lines) process.stdout.write(prefix + line + '\n');
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

async function main() {
  await run('apps/api/dist/seed/seed.main.js');
  const dns = await startDemoDns();
  env.DNS_SERVERS = dns.server;
  process.on('exit', () => void dns.close());
  start('sink', 'tools/sink-mx.mjs');
  start('stripe', 'tools/fake-stripe.mjs', {
    FAKE_STRIPE_PORT: '12111',
    STRIPE_PRICES: 'starter=price_starter:1500,pro=price_pro:7500',
    STRIPE_WEBHOOK_URL: 'http://127.0.0.1:3000/v1/billing/stripe-webhook',
    FAKE_STRIPE_STATE_FILE: join(dataDir, 'fake-stripe.json'),
  });
  start('api', 'apps/api/dist/main.js');
  await waitReady('http://127.0.0.1:3000/readyz', 'api');
  start('relay', 'apps/relay/dist/main.js');
  await waitReady(`http://127.0.0.1:${env.HEALTH_PORT}/readyz`, 'relay');
  process.stdout.write(`
  Smarthost is running.

    Dashboard      http://127.0.0.1:3000/          log in as demo@smarthost.local / ${secrets.DEMO_PASSWORD}
    API docs       http://127.0.0.1:3000/docs
    Health         http://127.0.0.1:3000/readyz    http://127.0.0.1:${env.HEALTH_PORT}/readyz (relay)
    SMTP           localhost:2587 (STARTTLS), localhost:2465 (TLS), inbound localhost:2525
                   user smtp_demo   password ${secrets.DEMO_SMTP_PASSWORD}
    Sink MX        127.0.0.1:${env.SINK_PORT} (delivered mail is logged here)
    Demo DNS       ${env.DNS_SERVERS} (publishes demo.smarthost.local's records)
    Stripe         ${env.STRIPE_API_URL} (a local stand-in: Billing → Choose a plan → Pay, no card needed)

    Try: swaks --server localhost:2587 --tls --auth-user smtp_demo --auth-password '${secrets.DEMO_SMTP_PASSWORD}' \\
           --from hello@demo.smarthost.local --to someone@example.com

  Ctrl-C stops everything.
`);
}

main().catch((error) => {
  process.stderr.write(`demo failed: ${error.message}\n`);
  void stop(1);
});
