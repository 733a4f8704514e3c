// `npm run demo` as a newcomer meets it: started twice against one database with its secrets removed in between
// (a second clone, a deleted .data/), and both times a message sent to its submission port is delivered. Runs the
// real demo command on ports, a data directory, a database and a Redis prefix of its own, beside anything else on
// the machine, and ends every process it started. CI runs it as its own step (.ci/run).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const { deleteByPattern, freePort, swaks, waitFor } = require('../libs/testkit/dist/index.js');
const { Client } = require('pg');
const { Redis } = require('ioredis');

const ADMIN_URL = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PORTS = ['API', 'SUBMISSION', 'SUBMISSIONS', 'INBOUND', 'HEALTH', 'SINK', 'STRIPE'];
// Building (from the Nx cache), migrating, seeding and starting five processes, on a loaded machine.
const START_TIMEOUT_MS = 300_000;

/** `npm run demo`, in its own process group so that stopping it can be checked to have ended every process. */
function startDemo(env) {
  const child = spawn('bash', ['tools/demo.sh'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
  return {
    output: () => output,
    async running() {
      await waitFor(() => output.includes('Smarthost is running.') || child.exitCode !== null, {
        timeoutMs: START_TIMEOUT_MS,
        intervalMs: 250,
        description: 'the demo to start',
      });
      assert.equal(child.exitCode, null, `the demo stopped:\n${output}`);
    },
    /** Ctrl-C, as a user stops it; then no process of the group may be left. */
    async stop() {
      if (child.exitCode === null) signalGroup(child.pid, 'SIGINT');
      const timer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), 60_000);
      await exited;
      clearTimeout(timer);
      await waitFor(() => !groupAlive(child.pid), { timeoutMs: 30_000, description: 'every demo process to end' });
    },
    kill: () => signalGroup(child.pid, 'SIGKILL'),
  };
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if (error.code !== 'ESRCH') throw error;
  }
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readSecrets(dataDir) {
  const lines = readFileSync(join(dataDir, 'demo.env'), 'utf8').trim().split('\n');
  return Object.fromEntries(lines.map((line) => line.split(/=(.*)/s).slice(0, 2)));
}

async function sendThroughDemo(ports, secrets, subject) {
  const result = await swaks([
    '--server', '127.0.0.1', '--port', String(ports.SUBMISSION), '--tls',
    '--auth-user', 'smtp_demo', '--auth-password', secrets.DEMO_SMTP_PASSWORD,
    '--from', 'hello@demo.smarthost.local', '--h-From', 'hello@demo.smarthost.local',
    '--to', 'someone@example.com', '--header', `Subject: ${subject}`,
  ]);
  assert.equal(result.exitCode, 0, result.transcript);
  assert.match(result.transcript, /250 2\.0\.0 OK queued as/);
}

/** What the dashboard's Messages page shows: the demo user's view of the message, through the API. */
async function messageStatus(ports, secrets, subject) {
  const api = `http://127.0.0.1:${ports.API}`;
  const login = await fetch(`${api}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'demo@smarthost.local', password: secrets.DEMO_PASSWORD }),
  });
  assert.equal(login.status, 200);
  const { tenants } = await login.json();
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const page = await fetch(`${api}/v1/messages?limit=50`, { headers: { cookie, 'x-tenant-id': tenants[0].id } });
  assert.equal(page.status, 200);
  return (await page.json()).items.find((message) => message.subject === subject)?.status;
}

describe('npm run demo from any state', () => {
  const id = randomBytes(4).toString('hex');
  const database = `smarthost_demo_test_${id}`;
  const redisPrefix = `smarthost-demo-test-${id}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'smarthost-demo-'));
  const ports = {};
  let env;
  let demo;

  before(async () => {
    for (const name of PORTS) ports[name] = await freePort();
    env = {
      ...process.env,
      DEMO_DATABASE: database,
      DEMO_DATA_DIR: dataDir,
      DEMO_REDIS_PREFIX: redisPrefix,
      ...Object.fromEntries(PORTS.map((name) => [`DEMO_${name}_PORT`, String(ports[name])])),
      DATABASE_ADMIN_URL: ADMIN_URL,
      REDIS_URL,
      // No Nx daemon: it would outlive the demo's process group.
      NX_DAEMON: 'false',
    };
    // The demo's own database, not one the caller's shell points at.
    delete env.DATABASE_URL;
  });

  after(async () => {
    demo?.kill();
    const admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
    const redis = new Redis(REDIS_URL);
    await deleteByPattern(redis, `${redisPrefix}:*`);
    redis.disconnect();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const runAndDeliver = async (run) => {
    demo = startDemo(env);
    await demo.running();
    const secrets = readSecrets(dataDir);
    const subject = `demo run ${run} ${id}`;
    await sendThroughDemo(ports, secrets, subject);
    await waitFor(() => demo.output().includes(`DKIM-signed): ${subject}`), {
      timeoutMs: 60_000,
      intervalMs: 250,
      description: `the sink MX to log "${subject}"`,
    });
    await waitFor(async () => (await messageStatus(ports, secrets, subject)) === 'delivered', {
      timeoutMs: 60_000,
      intervalMs: 500,
      description: `the API to show "${subject}" delivered`,
    });
    const output = demo.output();
    await demo.stop();
    return { output, secrets };
  };

  it('starts and delivers, then again on the same database after its secrets are removed', async () => {
    const first = await runAndDeliver(1);
    rmSync(join(dataDir, 'demo.env'));
    const second = await runAndDeliver(2);
    assert.notEqual(second.secrets.DKIM_MASTER_KEY, first.secrets.DKIM_MASTER_KEY, 'the second run made new secrets');
    assert.doesNotMatch(first.output, /resets it and seeds it again/);
    assert.match(second.output, /database smarthost_demo_test_\w+ was seeded with other secrets .* resets it and seeds it again/);
  });

  it('prints readable lines, not JSON, with health checks and long-polls left out at info', () => {
    const lines = demo.output().split('\n').map((line) => line.replace(/\x1b\[[0-9;]*m/g, ''));
    const logged = lines.filter((line) => /^(api|relay|sink|stripe)\s*\| /.test(line));
    assert.ok(logged.length > 10, demo.output());
    const json = logged.filter((line) => /\| \{/.test(line));
    assert.deepEqual(json, [], 'every process line is text');
    const requests = logged.filter((line) => line.includes('/v1/auth/login'));
    assert.ok(requests.some((line) => /^api\s*\| \[\d\d:\d\d:\d\d\] INFO: POST \/v1\/auth\/login 200 \d+ ms/.test(line)), requests.join('\n'));
    const quiet = logged.filter((line) => /\/readyz|\/healthz|\/v1\/relay\/(policy\/changes|heartbeat)/.test(line));
    assert.deepEqual(quiet, [], 'health checks, heartbeats and policy polls log at debug');
  });
});
