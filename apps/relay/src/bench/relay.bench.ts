import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { POLICY_SCHEMA_VERSION, type PolicySnapshot } from '@smarthost/relay-policy';
import { deleteByPattern, forkService, selfSignedCert, type ForkedService } from '@smarthost/testkit';
import { Redis } from 'ioredis';
import { credential, domain, tenant } from '../test/fixtures';
import { PolicyTestServer, TEST_NODE_TOKEN } from '../test/policy-test-server';
import { TEST_RETURN_PATH_KEY } from '../test/return-path-keys';
import { median, readOptions, type BenchOptions } from './bench-options';
import { machineLine, processCpuMs, redisCpuMs } from './peers';
import { percentile, runLoad, type LoadResult } from './smtp-load';

/**
 * `npm run bench:relay`: accepted messages per second through the real relay (startRelay in its own process,
 * STARTTLS + AUTH PLAIN on the submission port, every check, quota reservation in Redis, BullMQ enqueue and the
 * accepted event) next to, in the same run and with the same client, a bare smtp-server with the same TLS
 * settings that accepts and discards, and the bare server plus one BullMQ add. The three servers take turns
 * within each run, so load on the shared machine moves them alike. Median of --runs.
 * Options (--name=value or BENCH_*): messages (20000), runs (3), connections (50), message-bytes (1024),
 * timeout-seconds, log-level (the relay's, default info as in production), cpu-prof-dir (profiles the relay),
 * servers (bare,bullmq,relay).
 */

const SENDER = 'app@bench.test';
const TARGET_RATIO = 0.5;
const USERNAME = 'bench-app';
const PASSWORD = 'bench-secret-0123456789abcdef0123';
const HOSTNAME = 'relay.bench.test';

type ServerKind = 'bare' | 'bullmq' | 'relay';
const LABEL: Record<ServerKind, string> = {
  bare: 'bare smtp-server (discard)',
  bullmq: 'bare + 1 BullMQ add',
  relay: 'relay (startRelay)',
};

interface Row {
  kind: ServerKind;
  run: number;
  load: LoadResult;
  rate: number;
  cpu: { server?: number; redis?: number; client: number };
}

const log = (line = '') => process.stdout.write(`${line}\n`);
const fmt = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

function benchSnapshot(): PolicySnapshot {
  const unlimited = 1_000_000_000;
  return {
    schemaVersion: POLICY_SCHEMA_VERSION,
    version: 1,
    generatedAt: new Date().toISOString(),
    tenants: [tenant('t-bench', {}, { messagesPerDay: unlimited, messagesPerMonth: unlimited, messagesPerMinute: unlimited, recipientsPerMessage: 50, maxMessageBytes: 10_000_000 })],
    domains: [domain('d-bench', 't-bench', 'bench.test')],
    credentials: [credential('c-bench', 't-bench', USERNAME, PASSWORD)],
    inboundRoutes: [],
    suppressions: [],
  };
}

/** ~`bytes` of RFC 5322 message, CRLF, From: aligned with the envelope sender, no line starting with a dot. */
function benchMessage(bytes: number): Buffer {
  const headers = [`From: Bench App <${SENDER}>`, 'To: <someone@dest.example>', 'Subject: relay benchmark', 'Message-ID: <bench@bench.test>', 'Date: Sat, 28 Nov 2026 22:00:00 +0000', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', ''].join('\r\n');
  const line = 'The quick brown fox jumps over the lazy dog, again and again, for the benchmark.\r\n';
  let body = '';
  while (headers.length + body.length + line.length <= bytes) body += line;
  return Buffer.from(headers + body, 'latin1');
}

/** bare-smtp.js announces `port`, bench-relay-node.js its `ports`. */
interface Ready {
  type: 'ready';
  port?: number;
  ports?: { submission: number };
}

interface Context {
  options: BenchOptions;
  redis: Redis;
  api: PolicyTestServer;
  certFile: string;
  keyFile: string;
  dir: string;
  message: Buffer;
}

async function runOne(context: Context, kind: ServerKind, run: number): Promise<Row> {
  const { options, redis } = context;
  const prefix = `smarthost-bench-relay-${process.pid}-${run}-${kind}`;
  const execArgv = kind === 'relay' && options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : [];
  const env: Record<string, string> = { TLS_CERT_FILE: context.certFile, TLS_KEY_FILE: context.keyFile, REDIS_URL: options.redisUrl, REDIS_PREFIX: prefix };
  const script = join(__dirname, kind === 'relay' ? 'bench-relay-node.js' : 'bare-smtp.js');
  const server: ForkedService<Ready> = await forkService<Ready>(script, {
    execArgv,
    env:
      kind === 'relay'
        ? {
            ...env,
            RELAY_ROLE: 'relay',
            API_URL: context.api.url,
            RELAY_NODE_TOKEN: TEST_NODE_TOKEN,
            RETURN_PATH_KEY: TEST_RETURN_PATH_KEY,
            RELAY_HOSTNAME: HOSTNAME,
            RELAY_BIND: '127.0.0.1',
            SUBMISSION_PORT: '0',
            SUBMISSIONS_PORT: '0',
            INBOUND_PORT: '0',
            HEALTH_PORT: '0',
            POLICY_CACHE_FILE: join(context.dir, `policy-${run}.json`),
            SHUTDOWN_GRACE_SECONDS: '2',
            LOG_LEVEL: options.logLevel,
          }
        : { ...env, BARE_MODE: kind === 'bullmq' ? 'bullmq' : 'discard' },
  });
  const port = server.ready.port ?? server.ready.ports?.submission ?? 0;
  try {
    if (kind === 'relay') await waitForPolicy(server);
    const load = (messages: number) =>
      runLoad({
        host: '127.0.0.1',
        port,
        connections: options.connections,
        messages,
        timeoutMs: options.timeoutSeconds * 1000,
        username: USERNAME,
        password: PASSWORD,
        mailFrom: SENDER,
        rcptTo: (i) => `user${i}@dest${i % 10}.example`,
        message: context.message,
      });
    // Warm-up: JIT, TLS session set-up paths, Redis scripts loaded.
    await load(Math.min(2000, Math.ceil(options.messages / 10)));
    const before = { server: processCpuMs(server.child.pid), redis: await redisCpuMs(redis) };
    const result = await load(options.messages);
    const after = { server: processCpuMs(server.child.pid), redis: await redisCpuMs(redis) };
    const per = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && result.accepted > 0 ? (b - a) / result.accepted : undefined);
    return {
      kind,
      run,
      load: result,
      rate: result.accepted / result.seconds,
      cpu: { server: per(before.server, after.server), redis: per(before.redis, after.redis), client: result.clientCpuMs / Math.max(1, result.accepted) },
    };
  } finally {
    await server.close();
    await deleteByPattern(redis, `${prefix}:*`);
  }
}

async function waitForPolicy(server: ForkedService<Ready>): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const { status } = await server.ask<{ status: { loaded: boolean; stale: boolean } }>('status');
    if (status.loaded && !status.stale) return;
    if (Date.now() > deadline) throw new Error('relay did not load its policy within 15 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function printRow(row: Row): void {
  const sorted = Float64Array.from(row.load.latencies).sort();
  const notes: string[] = [];
  if (Object.keys(row.load.refused).length > 0) notes.push(`refused ${JSON.stringify(row.load.refused)} e.g. ${row.load.errors[0] ?? ''}`);
  else if (row.load.errors.length > 0) notes.push(`errors: ${row.load.errors.join(' | ')}`);
  if (row.load.timedOut) notes.push('TIMED OUT');
  notes.push(`CPU ms/msg: server ${fmt(row.cpu.server ?? NaN, 3)}, redis ${fmt(row.cpu.redis ?? NaN, 3)}, client ${fmt(row.cpu.client, 3)}`);
  log(
    `  ${String(row.run).padStart(3)}   ${LABEL[row.kind].padEnd(27)} ${String(row.load.accepted).padStart(8)}   ${fmt(row.load.seconds, 2).padStart(7)}   ${fmt(row.rate).padStart(7)}   ${fmt(percentile(sorted, 0.5), 2).padStart(7)}   ${fmt(percentile(sorted, 0.99), 2).padStart(7)}   ${notes.join('; ')}`,
  );
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2), { BENCH_CONNECTIONS: '50', BENCH_TIMEOUT_SECONDS: '120', ...process.env });
  const serversArg = process.argv.find((arg) => arg.startsWith('--servers='))?.slice('--servers='.length) ?? process.env.BENCH_SERVERS ?? 'bare,bullmq,relay';
  const kinds = serversArg.split(',').map((s) => s.trim()).filter(Boolean) as ServerKind[];
  for (const kind of kinds) if (!(kind in LABEL)) throw new Error(`servers: "${kind}" is not bare, bullmq or relay`);
  const message = benchMessage(options.messageBytes);
  log('=== bench:relay — accepted messages per second over STARTTLS + AUTH ===');
  log(`machine: ${machineLine()}`);
  log(
    `${options.messages} messages × ${message.length} B per server per run after a warm-up, ${options.connections} persistent connections (EHLO/STARTTLS/AUTH PLAIN once, then RSET+MAIL+RCPT+DATA pipelined, 1 recipient), ` +
      `client in this process, each server in its own process, relay log level ${options.logLevel}, ${options.runs} run(s)`,
  );
  log('msg/s: accepted messages / wall time of the timed part; latency: end-of-DATA "." written → 250 read');
  log();
  const dir = mkdtempSync(join(tmpdir(), 'smarthost-bench-relay-'));
  const pair = await selfSignedCert([HOSTNAME]);
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  writeFileSync(certFile, pair.cert);
  writeFileSync(keyFile, pair.key);
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const api = await new PolicyTestServer(benchSnapshot()).start();
  const rows: Row[] = [];
  try {
    log('  run   server                        accepted   seconds     msg/s   p50 ms    p99 ms');
    const context: Context = { options, redis, api, certFile, keyFile, dir, message };
    for (let run = 1; run <= options.runs; run += 1) {
      for (const kind of kinds) {
        const row = await runOne(context, kind, run);
        rows.push(row);
        printRow(row);
      }
    }
  } finally {
    await api.stop();
    await redis.quit();
    rmSync(dir, { recursive: true, force: true });
  }
  log();
  log(`median of ${options.runs} run(s):`);
  const medians = new Map<ServerKind, number>();
  for (const kind of kinds) {
    const mine = rows.filter((row) => row.kind === kind);
    const rate = median(mine.map((row) => row.rate));
    medians.set(kind, rate);
    const p50 = median(mine.map((row) => percentile(Float64Array.from(row.load.latencies).sort(), 0.5)));
    const p99 = median(mine.map((row) => percentile(Float64Array.from(row.load.latencies).sort(), 0.99)));
    const cpu = (key: 'server' | 'redis' | 'client') => median(mine.map((row) => row.cpu[key] ?? NaN));
    log(`  ${LABEL[kind].padEnd(27)} ${fmt(rate).padStart(7)} msg/s   p50 ${fmt(p50, 2)} ms   p99 ${fmt(p99, 2)} ms   CPU ms/msg: server ${fmt(cpu('server'), 3)}, redis ${fmt(cpu('redis'), 3)}, client ${fmt(cpu('client'), 3)}`);
  }
  const relay = medians.get('relay');
  const bare = medians.get('bare');
  const bullmq = medians.get('bullmq');
  if (relay !== undefined && bare !== undefined) {
    const ratio = relay / bare;
    log(`  ratio relay/bare ${fmt(ratio, 2)} (target ≥ ${TARGET_RATIO}): ${ratio >= TARGET_RATIO ? 'PASS' : 'MISS'}`);
  }
  if (relay !== undefined && bullmq !== undefined) log(`  ratio relay/(bare + BullMQ add) ${fmt(relay / bullmq, 2)}`);
  if (bullmq !== undefined && bare !== undefined) log(`  ratio (bare + BullMQ add)/bare ${fmt(bullmq / bare, 2)}`);
  const failed = rows.some((row) => Object.keys(row.load.refused).length > 0 || row.load.timedOut || row.load.accepted < options.messages);
  if (failed) {
    log('  NOTE: some runs did not accept every message (see the rows above)');
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
