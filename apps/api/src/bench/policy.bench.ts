import 'reflect-metadata';
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { secretDigest } from '@smarthost/relay-policy';
import { deleteByPattern, forkService, rawSmtp, type ForkedService } from '@smarthost/testkit';
import { Redis } from 'ioredis';
import { createTenantFixture, httpClient } from '../test/fixtures';
import { startTestApp, type TestApp } from '../test/test-app';

/**
 * `npm run bench:policy`: the relay policy at scale — 100,000 tenants, 100,000 domains and 300,000 credentials
 * seeded with INSERT … SELECT generate_series into a fresh database — and what it costs:
 *  (a) the API's snapshot over HTTP (GET /v1/relay/policy with a node token, whole body read), median of 3;
 *  (b) a relay node's memory once it has loaded it (child process: PolicyApiClient + PolicyIndex, after GC);
 *  (c) a one-change delta: disable one credential through the API, then GET /v1/relay/policy/changes?since=v;
 *  (d) propagation: two relay nodes (startRelay, each its own process) long-polling the API; time from the API call
 *      that disables a credential until both nodes refuse that credential's AUTH (probed over STARTTLS every few ms).
 * Options: --tenants=100000 --credentials-per-tenant=3 --propagation-runs=5
 */

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const TENANTS = arg('tenants', 100_000);
const CREDENTIALS_PER_TENANT = arg('credentials-per-tenant', 3);
const PROPAGATION_RUNS = Math.min(20, arg('propagation-runs', 5));
const TARGET = { snapshotMs: 2000, nodeBytes: 300 * 1024 * 1024, deltaBytes: 10 * 1024 };
const PROBE_USER = 'bench-probe';
const PROBE_PASSWORD = randomBytes(24).toString('base64url');
const RELAY_DIST = join(__dirname, '..', '..', '..', 'relay', 'dist', 'bench');

const out = (line = '') => process.stdout.write(`${line}\n`);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const elapsed = (since: number) => performance.now() - since;

async function seed(app: TestApp, fixtureTenantId: string): Promise<{ probeId: string; otherId: string }> {
  const sql = (text: string, ...values: unknown[]) => app.prisma.$executeRawUnsafe(text, ...values);
  await sql(
    `INSERT INTO tenants (id, name, slug, "updatedAt")
     SELECT gen_random_uuid(), 'Bench tenant ' || g, 'bench-' || g, now() FROM generate_series(1, $1::int) g`,
    TENANTS - 1,
  );
  await sql(
    `INSERT INTO domains (id, "tenantId", name, "verifiedName", status, "verificationToken", "verifiedAt", "updatedAt")
     SELECT gen_random_uuid(), t.id, t.slug || '.bench.test', t.slug || '.bench.test', 'verified', md5(t.slug), now(), now() FROM tenants t`,
  );
  await sql(
    `INSERT INTO smtp_credentials (id, "tenantId", name, username, "secretDigest", "allowedSenders", "ipAllowlist", "updatedAt")
     SELECT gen_random_uuid(), t.id, 'app ' || k, t.slug || '-app' || k, encode(sha256(convert_to(t.slug || k, 'UTF8')), 'hex'), '{}', '{}', now()
     FROM tenants t CROSS JOIN generate_series(1, $1::int) k`,
    CREDENTIALS_PER_TENANT,
  );
  const mine = await app.prisma.$queryRawUnsafe<{ id: string }[]>(`SELECT id::text FROM smtp_credentials WHERE "tenantId" = $1::uuid ORDER BY id`, fixtureTenantId);
  const [probe, other] = mine;
  if (!probe || !other) throw new Error('the fixture tenant needs two credentials');
  await sql(`UPDATE smtp_credentials SET username = $1, "secretDigest" = $2 WHERE id = $3::uuid`, PROBE_USER, secretDigest(PROBE_PASSWORD), probe.id);
  // The seed is one policy version, as if recorded by the API.
  await sql(`INSERT INTO policy_changes ("tenantId", entity, "entityId", op) VALUES ($1::uuid, 'tenant', $1, 'upsert')`, fixtureTenantId);
  await sql('ANALYZE');
  return { probeId: probe.id, otherId: other.id };
}

async function snapshotOverHttp(url: string, token: string): Promise<{ ms: number; bytes: number; version: string | null }> {
  const started = performance.now();
  const response = await fetch(`${url}/v1/relay/policy`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`snapshot: HTTP ${response.status}`);
  const body = await response.arrayBuffer();
  return { ms: elapsed(started), bytes: body.byteLength, version: response.headers.get('x-policy-version') };
}

interface MemoryLine {
  counts: Record<string, number>;
  fetchParseMs: number;
  held: { rss: number; heapUsed: number; external: number };
  peakRss: number;
}

function nodeMemory(url: string, token: string): Promise<MemoryLine> {
  return new Promise((resolve, reject) => {
    const child = fork(join(RELAY_DIST, 'policy-memory.js'), [], {
      env: { ...process.env, API_URL: url, RELAY_NODE_TOKEN: token },
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`policy-memory exited with ${code}`));
      resolve(JSON.parse(text.trim().split('\n').pop() ?? '{}') as MemoryLine);
    });
  });
}

interface RelayReady {
  type: 'ready';
  ports: { submission: number };
}

type RelayNode = ForkedService<RelayReady>;

const startRelayNode = (env: Record<string, string>) => forkService<RelayReady>(join(RELAY_DIST, 'bench-relay-node.js'), { env });

async function policyStatus(node: RelayNode): Promise<{ loaded: boolean; stale: boolean; version: number | null }> {
  return (await node.ask<{ status: { loaded: boolean; stale: boolean; version: number | null } }>('status')).status;
}

/** One AUTH attempt on a fresh STARTTLS session: the reply code (235 accepted, 535 refused, …). */
async function probeAuth(port: number): Promise<number> {
  const client = await rawSmtp('127.0.0.1', port, { timeoutMs: 5000 });
  try {
    await client.read();
    await client.command('EHLO probe.bench.test');
    await client.command('STARTTLS');
    await client.startTls();
    await client.command('EHLO probe.bench.test');
    const reply = await client.command(`AUTH PLAIN ${Buffer.from(`\0${PROBE_USER}\0${PROBE_PASSWORD}`).toString('base64')}`);
    return reply.code;
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** Probes until AUTH answers as wanted; the time (performance.now) the deciding reply arrived. */
async function probeUntil(port: number, accepted: boolean, deadline: number): Promise<number> {
  for (;;) {
    const code = await probeAuth(port).catch(() => 0);
    if ((code === 235) === accepted && code !== 0) return performance.now();
    if (Date.now() > deadline) throw new Error(`AUTH on port ${port} still ${code} at the deadline`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const operatorToken = randomBytes(32).toString('hex');
  const app = await startTestApp({ LOG_LEVEL: 'warn', WORKERS: 'false', OPERATOR_TOKEN: operatorToken });
  const redis = new Redis(app.config.REDIS_URL, { maxRetriesPerRequest: null });
  const dir = mkdtempSync(join(tmpdir(), 'smarthost-bench-policy-'));
  const nodes: RelayNode[] = [];
  const prefix = `smarthost-bench-policy-${process.pid}`;
  try {
    const registered = await httpClient(app.url, { authorization: `Bearer ${operatorToken}` })('POST', '/v1/operator/relay-nodes', { name: 'bench-policy' });
    const token = registered.body.token as string;
    const tenant = await createTenantFixture(app.prisma, 'owner');
    const asTenant = httpClient(app.url, tenant.auth);
    const seedStart = performance.now();
    const { probeId, otherId } = await seed(app, tenant.tenantId);
    const counts = await app.prisma.$queryRawUnsafe<{ tenants: number; domains: number; credentials: number }[]>(
      `SELECT (SELECT count(*) FROM tenants)::int AS tenants, (SELECT count(*) FROM domains)::int AS domains, (SELECT count(*) FROM smtp_credentials)::int AS credentials`,
    );
    out('=== bench:policy — relay policy at scale ===');
    out(`seeded ${JSON.stringify(counts[0])} in ${(elapsed(seedStart) / 1000).toFixed(1)} s (INSERT … SELECT generate_series, fresh database)`);
    out();

    // (a) snapshot over HTTP
    await snapshotOverHttp(app.url, token); // warm: plans, pool connections, JIT
    const snapshots = [];
    for (let i = 0; i < 3; i += 1) snapshots.push(await snapshotOverHttp(app.url, token));
    const snapshotMs = median(snapshots.map((s) => s.ms));
    out(`(a) snapshot GET /v1/relay/policy: ${snapshots.map((s) => `${s.ms.toFixed(0)} ms`).join(', ')} → median ${snapshotMs.toFixed(0)} ms, ${mb(snapshots[0]?.bytes ?? 0)} (target < ${TARGET.snapshotMs} ms): ${verdict(snapshotMs < TARGET.snapshotMs)}`);

    // (b) relay node memory
    const memory = await nodeMemory(app.url, token);
    out(
      `(b) relay node after loading (${JSON.stringify(memory.counts)}): RSS ${mb(memory.held.rss)}, heap used ${mb(memory.held.heapUsed)}, external ${mb(memory.held.external)}; ` +
        `peak RSS while loading ${mb(memory.peakRss)}; fetch+parse+validate+index (streamed) ${memory.fetchParseMs.toFixed(0)} ms (target RSS < ${mb(TARGET.nodeBytes)}): ${verdict(memory.held.rss < TARGET.nodeBytes)}`,
    );

    // (c) one-change delta
    const before = await snapshotVersion(app);
    const disabled = await asTenant('POST', `/v1/credentials/${otherId}/disable`);
    if (disabled.status !== 200 && disabled.status !== 201) throw new Error(`disable: HTTP ${disabled.status} ${JSON.stringify(disabled.body)}`);
    const deltaStart = performance.now();
    const response = await fetch(`${app.url}/v1/relay/policy/changes?since=${before}`, { headers: { authorization: `Bearer ${token}` } });
    const deltaBody = Buffer.from(await response.arrayBuffer());
    const deltaMs = elapsed(deltaStart);
    const delta = JSON.parse(deltaBody.toString('utf8')) as { fromVersion: number; toVersion: number; changes: unknown[] };
    out(
      `(c) delta after disabling one credential: HTTP ${response.status}, ${deltaBody.length} B, ${delta.changes.length} change(s) v${delta.fromVersion}→v${delta.toVersion}, ${deltaMs.toFixed(1)} ms (target < 10 KB): ${verdict(deltaBody.length < TARGET.deltaBytes)}`,
    );

    // (d) propagation to two long-polling relay nodes
    const nodeEnv = (name: string): Record<string, string> => ({
      RELAY_ROLE: 'relay',
      API_URL: app.url,
      RELAY_NODE_TOKEN: token,
      REDIS_URL: app.config.REDIS_URL,
      REDIS_PREFIX: prefix,
      RELAY_HOSTNAME: `${name}.bench.test`,
      RELAY_BIND: '127.0.0.1',
      SUBMISSION_PORT: '0',
      SUBMISSIONS_PORT: '0',
      INBOUND_PORT: '0',
      HEALTH_PORT: '0',
      POLICY_CACHE_FILE: join(dir, `${name}.json`),
      SHUTDOWN_GRACE_SECONDS: '1',
      LOG_LEVEL: 'warn',
      // The probe fails AUTH on purpose once per run: no tarpit or flood refusal in the way.
      AUTH_TARPIT_STEP_MS: '0',
      AUTH_FLOOD_MAX_FAILURES_PER_USERNAME: '100000',
      AUTH_FLOOD_MAX_USERNAMES: '100000',
    });
    const loadStart = performance.now();
    nodes.push(...(await Promise.all([startRelayNode(nodeEnv('relay-a')), startRelayNode(nodeEnv('relay-b'))])));
    const current = await snapshotVersion(app);
    for (;;) {
      const statuses = await Promise.all(nodes.map((node) => policyStatus(node)));
      if (statuses.every((s) => s.loaded && !s.stale && (s.version ?? -1) >= current)) break;
      if (elapsed(loadStart) > 120_000) throw new Error(`relay nodes did not load the policy: ${JSON.stringify(statuses)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    out(`(d) two relay nodes started and loaded the snapshot in ${(elapsed(loadStart) / 1000).toFixed(1)} s; long-poll wait ${process.env.POLICY_POLL_WAIT_SECONDS ?? 25} s`);
    const samples: { api: number; a: number; b: number }[] = [];
    for (let run = 1; run <= PROPAGATION_RUNS; run += 1) {
      const deadline = Date.now() + 30_000;
      await Promise.all(nodes.map((node) => probeUntil(node.ready.ports.submission, true, deadline)));
      await new Promise((resolve) => setTimeout(resolve, 300)); // both nodes back in their long-poll
      const t0 = performance.now();
      const call = asTenant('POST', `/v1/credentials/${probeId}/disable`).then((result) => {
        if (result.status >= 300) throw new Error(`disable: HTTP ${result.status}`);
        return performance.now();
      });
      const [apiDone, a, b] = await Promise.all([call, ...nodes.map((node) => probeUntil(node.ready.ports.submission, false, deadline))]);
      samples.push({ api: (apiDone as number) - t0, a: (a as number) - t0, b: (b as number) - t0 });
      const last = samples[samples.length - 1]!;
      out(`    run ${run}: API call ${last.api.toFixed(0)} ms; node A refuses after ${last.a.toFixed(0)} ms, node B after ${last.b.toFixed(0)} ms → both ${Math.max(last.a, last.b).toFixed(0)} ms`);
      const enabled = await asTenant('POST', `/v1/credentials/${probeId}/enable`);
      if (enabled.status >= 300) throw new Error(`enable: HTTP ${enabled.status}`);
    }
    const both = median(samples.map((s) => Math.max(s.a, s.b)));
    out(`    median of ${samples.length}: both nodes refuse ${both.toFixed(0)} ms after the API call started (API call itself ${median(samples.map((s) => s.api)).toFixed(0)} ms; probe = fresh STARTTLS + AUTH, a few ms)`);
    out(`    (target: about a second): ${verdict(both < 1000)}`);
    out();
    out(`total ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await Promise.all(nodes.map((node) => node.close()));
    await deleteByPattern(redis, `${prefix}:*`);
    await redis.quit();
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function snapshotVersion(app: TestApp): Promise<number> {
  const rows = await app.prisma.$queryRawUnsafe<{ v: string }[]>('SELECT coalesce(max(version), 0)::text AS v FROM policy_changes');
  return Number(rows[0]?.v ?? 0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
