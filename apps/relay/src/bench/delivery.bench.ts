import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { messageBytes, newMessageId, QUEUE_NAMES, type DeliveryJob } from '@smarthost/queues';
import { storedEvents } from '../test/stored-events';
import { deleteByPattern, startDnsServer, type TestDnsServer } from '@smarthost/testkit';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { signMessage } from '../delivery/dkim-sign';
import { dkimKey, startKeyServer, type KeyServer } from '../delivery/test-support/fixtures';
import { median, readOptions, type BenchOptions } from './bench-options';
import { machineLine, port25Note, processCpuMs, redisCpuMs, postfixTool, POSTFIX_INSTALL_HINT, runSmtpSource, startNodeSink, startPostfixSink, type Peer, type SourceResult } from './peers';

/**
 * `npm run bench:delivery`, part 1: one delivery worker process against two loopback peers, each next to the
 * peer's own ceiling (Postfix smtp-source into the same sink, same message, same connection count).
 * Later parts (stats/search latency) add their own sections after this one.
 */

const SENDER = 'sender@example.com';
const RECIPIENT_DOMAIN = 'dest.test';
const DOMAIN_ID = 'domain-bench';
const TARGET_MSG_PER_S = 2000;

interface WorkerResult {
  /** CPU ms per delivered message during the run: the worker process (thread pool included), Redis, the peer. */
  cpu: { worker?: number; redis?: number; peer?: number; workerCores?: number };
  delivered: number;
  other: Record<string, number>;
  seconds: number;
  complete: boolean;
  detail: string;
}

interface RunRow {
  source: SourceResult | undefined;
  worker: WorkerResult;
}

const log = (line = '') => process.stdout.write(`${line}\n`);
const rate = (messages: number, seconds: number) => (seconds > 0 ? messages / seconds : Number.NaN);
const fmt = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

/** A ~`bytes` outbound message (before the DKIM-Signature header the worker prepends). */
function rawMessage(messageId: string, to: string, bytes: number): string {
  const headers = [
    `From: Bench Sender <${SENDER}>`,
    `To: <${to}>`,
    'Subject: delivery benchmark',
    `Message-ID: <${messageId}@example.com>`,
    'Date: Sat, 28 Nov 2026 22:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
  ].join('\r\n');
  const line = 'The quick brown fox jumps over the lazy dog, again and again, for the benchmark.';
  let body = '';
  while (headers.length + 2 + body.length < bytes) body += `${line}\r\n`;
  return `${headers}\r\n${body}`.slice(0, Math.max(bytes, headers.length + 2)).replace(/\r?\n?$/, '\r\n');
}

function deliveryJob(index: number, bytes: number): DeliveryJob {
  const messageId = newMessageId();
  const to = `user${index}@${RECIPIENT_DOMAIN}`;
  const raw = rawMessage(messageId, to, bytes);
  return {
    messageId,
    tenantId: 'tenant-bench',
    domainId: DOMAIN_ID,
    credentialId: 'credential-bench',
    direction: 'outbound',
    mailFrom: SENDER,
    recipients: [{ address: to, target: null }],
    raw: Buffer.from(raw).toString('latin1'),
    size: raw.length,
    receivedAt: new Date().toISOString(),
    relayNode: 'relay.bench.test',
    clientIp: '127.0.0.1',
  };
}

async function enqueue(redis: Redis, prefix: string, options: BenchOptions): Promise<number> {
  const queue = new Queue(QUEUE_NAMES.delivery, { connection: redis, prefix });
  const started = Date.now();
  try {
    for (let offset = 0; offset < options.messages; offset += 1000) {
      const batch = Array.from({ length: Math.min(1000, options.messages - offset) }, (_, i) => deliveryJob(offset + i, options.messageBytes));
      await queue.addBulk(batch.map((job) => ({ name: 'deliver', data: job, opts: { jobId: job.messageId } })));
    }
  } finally {
    await queue.close();
  }
  return (Date.now() - started) / 1000;
}

interface BenchContext {
  options: BenchOptions;
  redis: Redis;
  dns: TestDnsServer;
  keys: KeyServer;
}

/** Starts ONE worker process on a filled queue, waits until the queue is drained, reads first/last delivery from the events. */
async function runWorker(context: BenchContext, peer: Peer, runIndex: number): Promise<WorkerResult> {
  const { options, redis } = context;
  const prefix = `smarthost-bench-${process.pid}-${runIndex}-${Date.now().toString(36)}`;
  const enqueueSeconds = await enqueue(redis, prefix, options);
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    REDIS_URL: options.redisUrl,
    REDIS_PREFIX: prefix,
    API_URL: context.keys.url,
    DNS_SERVERS: context.dns.server,
    DELIVERY_PORT: String(peer.port),
    DELIVERY_CONCURRENCY: String(options.concurrency),
    DELIVERY_PER_DESTINATION_CONCURRENCY: String(options.connections),
    DELIVERY_CONNECT_TIMEOUT_SECONDS: '10',
    DELIVERY_SOCKET_TIMEOUT_SECONDS: '30',
    LOG_LEVEL: options.logLevel,
    ...(options.relayhost ? { DELIVERY_RELAYHOST: `127.0.0.1:${peer.port}` } : {}),
  };
  const execArgv = options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : [];
  const child = fork(join(__dirname, 'bench-worker.js'), [], { env, execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deliveryQueue = new Queue(QUEUE_NAMES.delivery, { connection: redis, prefix });
  const eventsQueue = new Queue(QUEUE_NAMES.events, { connection: redis, prefix });
  let complete = false;
  type CpuSample = { at: number; worker: number | undefined; redis: number | undefined; peer: number | undefined };
  let cpuStart: CpuSample | undefined;
  let cpuEnd: CpuSample | undefined;
  let detail = `enqueued in ${enqueueSeconds.toFixed(1)} s`;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('worker did not start within 30 s')), 30_000);
      child.once('exit', (code) => reject(new Error(`worker exited with code ${code}`)));
      child.once('message', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    cpuStart = { at: Date.now(), worker: processCpuMs(child.pid), redis: await redisCpuMs(redis), peer: peer.cpuMs() };
    const deadline = Date.now() + options.timeoutSeconds * 1000;
    for (;;) {
      const counts = await deliveryQueue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'waiting-children');
      const left = Object.values(counts).reduce((sum, count) => sum + count, 0);
      if (left === 0) {
        complete = true;
        cpuEnd = { at: Date.now(), worker: processCpuMs(child.pid), redis: await redisCpuMs(redis), peer: peer.cpuMs() };
        break;
      }
      if (Date.now() > deadline) {
        detail += `; TIMED OUT after ${options.timeoutSeconds} s with ${left} jobs left (${JSON.stringify(counts)})`;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    if (child.connected) child.send({ type: 'stop' });
    else child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(killer);
  }
  try {
    let first = Infinity;
    let last = -Infinity;
    let delivered = 0;
    const other: Record<string, number> = {};
    const total = await eventsQueue.getJobCountByTypes('waiting');
    for (let start = 0; start < total; start += 2000) {
      for (const event of (await eventsQueue.getJobs(['waiting'], start, start + 1999)).flatMap((job) => storedEvents(job.data))) {
        if (event.type === 'delivered') {
          delivered += 1;
          const at = Date.parse(event.occurredAt);
          if (at < first) first = at;
          if (at > last) last = at;
        } else other[event.type] = (other[event.type] ?? 0) + 1;
      }
    }
    const failed = await deliveryQueue.getJobCountByTypes('failed');
    if (failed > 0) other.failedJobs = failed;
    // Rate over the intervals between the first and the last delivery (n-1 of them).
    const seconds = delivered > 1 ? (last - first) / 1000 : Number.NaN;
    const per = (key: 'worker' | 'redis' | 'peer') => {
      const [a, b] = [cpuStart?.[key], cpuEnd?.[key]];
      return a !== undefined && b !== undefined && delivered > 0 ? (b - a) / delivered : undefined;
    };
    const cpu: WorkerResult['cpu'] = { worker: per('worker'), redis: per('redis'), peer: per('peer') };
    if (cpuStart?.worker !== undefined && cpuEnd?.worker !== undefined) cpu.workerCores = (cpuEnd.worker - cpuStart.worker) / (cpuEnd.at - cpuStart.at);
    return { cpu, delivered, other, seconds, complete: complete && delivered === options.messages, detail };
  } finally {
    await Promise.all([deliveryQueue.close(), eventsQueue.close()]);
    await deleteByPattern(redis, `${prefix}:*`);
  }
}

async function benchPeer(context: BenchContext, kind: 'postfix' | 'node', sampleFile: string | undefined): Promise<RunRow[] | undefined> {
  const { options } = context;
  const sourceAvailable = sampleFile !== undefined && postfixTool('smtp-source') !== undefined;
  if (kind === 'postfix' && !postfixTool('smtp-sink')) {
    log(`peer postfix smtp-sink: SKIPPED — smtp-sink not found; ${POSTFIX_INSTALL_HINT}`);
    return undefined;
  }
  const peer = kind === 'postfix' ? await startPostfixSink() : await startNodeSink();
  const rows: RunRow[] = [];
  try {
    log(`peer: ${peer.name} on 127.0.0.1:${peer.port} (plaintext, accepts and discards)`);
    if (!sourceAvailable) log(`  smtp-source not found: no peer ceiling, no ratio; ${POSTFIX_INSTALL_HINT}`);
    log('  run   smtp-source msg/s   worker delivered   seconds   worker msg/s   ratio worker/source');
    for (let run = 1; run <= options.runs; run += 1) {
      let source: SourceResult | undefined;
      if (sourceAvailable && sampleFile) {
        source = await runSmtpSource({ port: peer.port, file: sampleFile, messages: options.messages, sessions: options.connections, from: SENDER, to: `user@${RECIPIENT_DOMAIN}`, timeoutMs: options.timeoutSeconds * 1000 });
      }
      const before = await peer.stats();
      const worker = await runWorker(context, peer, run);
      const after = await peer.stats();
      rows.push({ source, worker });
      const sourceRate = source?.ok ? rate(source.messages, source.seconds) : Number.NaN;
      const workerRate = rate(worker.delivered - 1, worker.seconds);
      const notes: string[] = [worker.detail];
      if (source && !source.ok) notes.push(`smtp-source failed: ${source.detail}`);
      if (!worker.complete) notes.push(`INCOMPLETE: ${worker.delivered}/${options.messages} delivered`);
      if (Object.keys(worker.other).length > 0) notes.push(`other outcomes ${JSON.stringify(worker.other)}`);
      const c = worker.cpu;
      notes.push(`CPU ms/msg: worker ${fmt(c.worker ?? NaN, 3)} (${fmt(c.workerCores ?? NaN, 2)} cores busy), redis ${fmt(c.redis ?? NaN, 3)}, peer ${fmt(c.peer ?? NaN, 3)}`);
      if (before && after) notes.push(`sink got ${after.received - before.received}, DKIM-signed ${after.signed - before.signed}`);
      log(
        `  ${String(run).padStart(3)}   ${fmt(sourceRate).padStart(17)}   ${String(worker.delivered).padStart(16)}   ${fmt(worker.seconds, 2).padStart(7)}   ${fmt(workerRate).padStart(12)}   ${fmt(workerRate / sourceRate, 2).padStart(19)}   ${notes.join('; ')}`,
      );
    }
  } finally {
    await peer.close();
  }
  const sourceRates = rows.filter((row) => row.source?.ok).map((row) => rate(row.source!.messages, row.source!.seconds));
  const workerRates = rows.map((row) => rate(row.worker.delivered - 1, row.worker.seconds));
  const ratios = rows.map((row) => (row.source?.ok ? rate(row.worker.delivered - 1, row.worker.seconds) / rate(row.source.messages, row.source.seconds) : Number.NaN));
  const workerMedian = median(workerRates);
  log(
    `  median of ${rows.length}: smtp-source ${fmt(median(sourceRates))} msg/s; worker ${fmt(workerMedian)} msg/s (${fmt(median(rows.map((row) => row.worker.seconds)), 2)} s for ${options.messages}); ratio ${fmt(median(ratios), 2)}; target ≥ ${TARGET_MSG_PER_S} msg/s: ${workerMedian >= TARGET_MSG_PER_S ? 'MET' : 'NOT MET'}`,
  );
  log();
  return rows;
}

async function main(): Promise<void> {
  const options = readOptions();
  log('=== Smarthost benchmarks ===');
  log(`machine: ${machineLine()}`);
  const note = port25Note();
  if (note) log(note);
  log();
  log('--- 1. delivery throughput: ONE delivery worker process ---');
  log(
    `messages ${options.messages} × ~${options.messageBytes} B outbound, DKIM rsa-sha256 2048-bit (relaxed/relaxed), ${options.relayhost ? 'relayhost (no DNS)' : 'MX delivery via a loopback DNS server (worker caches answers DELIVERY_DNS_CACHE_SECONDS, default 5 s)'}, ` +
      `${options.connections} connections to the peer, worker concurrency ${options.concurrency}, log level ${options.logLevel}, ${options.runs} run(s) per peer`,
  );
  log('worker msg/s: deliveries between the first and the last delivered event; smtp-source msg/s: the same signed message, same connection count, wall time');
  log();

  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const dns = await startDnsServer();
  const key = dkimKey();
  const keys = await startKeyServer({ [DOMAIN_ID]: { domain: 'example.com', selector: 'bench', privateKeyPem: key.privateKeyPem } });
  dns.set(RECIPIENT_DOMAIN, 'MX', [{ exchange: `mx.${RECIPIENT_DOMAIN}`, priority: 10 }]);
  dns.set(`mx.${RECIPIENT_DOMAIN}`, 'A', ['127.0.0.1']);
  dns.set('bench._domainkey.example.com', 'TXT', [key.txt]);
  const workdir = mkdtempSync(join(tmpdir(), 'smarthost-bench-'));
  try {
    // The message smtp-source sends: the one the worker sends (signed), LF line ends (smtp-source adds CR).
    const sample = deliveryJob(0, options.messageBytes);
    const signed = await signMessage(messageBytes(sample), { domain: 'example.com', selector: 'bench', privateKeyPem: key.privateKeyPem, algorithm: 'rsa-sha256' });
    const sampleFile = join(workdir, 'message.eml');
    writeFileSync(sampleFile, signed.toString('latin1').replace(/\r\n/g, '\n').replace(/\n$/, ''));
    log(`signed message: ${signed.length} bytes on the wire (${sample.size} before signing)`);
    log();
    const context: BenchContext = { options, redis, dns, keys };
    for (const kind of options.peers) await benchPeer(context, kind, sampleFile);
  } finally {
    rmSync(workdir, { recursive: true, force: true });
    await Promise.all([dns.close(), keys.close()]);
    await redis.quit();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
