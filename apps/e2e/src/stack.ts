import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  freePort,
  startDnsServer,
  startSmtpSink,
  testDatabase,
  testRedis,
  type SmtpSink,
  type TestDatabase,
  type TestDnsServer,
  type TestRedis,
  waitFor,
} from '@smarthost/testkit';
import { Client } from 'pg';
import { expectStatus, httpClient, type HttpCall, isOk } from './support/http';
import { runToCompletion, ServiceProcess } from './support/service-process';

/** The repository root (this file runs from apps/e2e/dist/). */
export const ROOT = resolve(__dirname, '../../..');
const API_MAIN = join(ROOT, 'apps/api/dist/main.js');
const RELAY_MAIN = join(ROOT, 'apps/relay/dist/main.js');
const SEED_MAIN = join(ROOT, 'apps/api/dist/seed/seed.main.js');

/** The name customers point their records at; the sender domain's SPF and return-path records name it. */
export const RELAY_HOSTNAME = 'relay.smarthost.test';
/** The DKIM domain of the mailbox provider's feedback loop the stack's relays trust (sign with startFeedbackLoop on `dns`). */
export const FEEDBACK_PROVIDER_DOMAIN = 'fbl.mailbox.test';
const START_TIMEOUT_MS = 60_000;

export type RelayRole = 'all' | 'relay' | 'worker';

export interface NodeSpec {
  name: string;
  role?: RelayRole;
}

export interface StackOptions {
  /** Relay nodes to register and start; default one node with RELAY_ROLE=all. */
  nodes?: NodeSpec[];
  /** Redis for the API and every node (default: the shared test Redis with a private key prefix). */
  redisUrl?: string;
  /** Extra environment for every relay node, e.g. `{ DELIVERY_BACKOFF_BASE_SECONDS: '1' }`. */
  relayEnv?: Record<string, string>;
  /** The built dashboard for the API to serve at / (browser tests); none by default. */
  webDistDir?: string;
  /** Extra environment for the API, e.g. the Stripe settings of a billing test. */
  apiEnv?: Record<string, string>;
  /**
   * Have the API advertise the first node's real submission ports (SMTP_PUBLIC_*, on localhost, with the node's
   * self-signed certificate), as the demo does: the dashboard's snippets then work against this stack. The ports are
   * known once the node has bound port 0, so the API is restarted with them.
   */
  advertiseSmtp?: boolean;
}

export interface RelayPorts {
  submission: number;
  submissions: number;
  inbound: number;
  health: number;
}

/** One relay node process: registered with the API (its own token), its own policy cache file. */
export interface RelayNode {
  name: string;
  role: RelayRole;
  hostname: string;
  process: ServiceProcess;
  /** Listener ports of the current run (the node binds port 0 and logs what it got); undefined for workers. */
  ports: RelayPorts | undefined;
  policyCacheFile: string;
  /** Starts the process (again) and waits until it is ready: /readyz for listeners, the worker's start line otherwise. */
  start(): Promise<void>;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

export interface Stack {
  apiUrl: string;
  api: ServiceProcess;
  /** Starts the API (again) and waits for its /readyz. */
  startApi(): Promise<void>;
  /** Operator routes (`/v1/operator/...`) with the operator token. */
  operator: HttpCall;
  nodes: RelayNode[];
  node(name: string): RelayNode;
  /** Registers a node through the operator API and starts it. */
  addNode(spec: NodeSpec): Promise<RelayNode>;
  dns: TestDnsServer;
  /** The remote MX every recipient domain's MX record leads to. */
  sink: SmtpSink;
  db: TestDatabase;
  redisUrl: string;
  redisPrefix: string;
  /**
   * Waits until every node with listeners has loaded the API's current policy version: a change made through the API
   * reaches the nodes by long-poll about a second later, and a test that submits at once would race it.
   */
  policySettled(): Promise<void>;
  /** Gives `domain` an MX record that leads to the sink (a host name with an A record for 127.0.0.1). */
  routeToSink(domain: string): void;
  /** Stops every process (SIGTERM, then SIGKILL) and removes what the stack created. */
  stop(): Promise<void>;
}

/**
 * The whole service on loopback, as production runs it: the built API and relay nodes as child processes
 * configured only by environment variables, a fresh database from the migrated template, a private Redis key
 * prefix, a real DNS server that the API (domain verification) and the workers (MX lookups) both use, and a
 * real SMTP server as the remote MX (the workers' DELIVERY_PORT points at it).
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups.length = 0;
  };
  try {
    const stack = await build(options, cleanups);
    return { ...stack, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function build(options: StackOptions, cleanups: (() => Promise<void> | void)[]): Promise<Omit<Stack, 'stop'>> {
  const db = await testDatabase();
  cleanups.push(() => db.drop());
  const redis: TestRedis = await testRedis(options.redisUrl ? { url: options.redisUrl } : {});
  // A test may kill a private redis-server; the inspection client then reconnects quietly like the apps do.
  redis.client.on('error', () => undefined);
  // A private redis-server may be gone by the end of its test; its keys go with it.
  cleanups.push(() => redis.cleanup().catch(() => redis.client.disconnect()));
  const dns = await startDnsServer();
  cleanups.push(() => dns.close());
  const sink = await startSmtpSink({ name: 'mx.remote.test' });
  cleanups.push(() => sink.close());
  const tempDir = mkdtempSync(join(tmpdir(), 'smarthost-e2e-'));
  cleanups.push(() => rmSync(tempDir, { recursive: true, force: true }));

  const baseEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'info',
    REDIS_URL: redis.url,
    REDIS_PREFIX: redis.prefix,
    DNS_SERVERS: dns.server,
  };
  await runToCompletion(SEED_MAIN, { ...baseEnv, DATABASE_URL: db.url }, ROOT);

  const apiPort = await freePort();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const operatorToken = randomBytes(32).toString('hex');
  const api = new ServiceProcess('api', API_MAIN, {
    ...baseEnv,
    API_HOST: '127.0.0.1',
    API_PORT: String(apiPort),
    PUBLIC_URL: apiUrl,
    DATABASE_URL: db.url,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    DKIM_MASTER_KEY: randomBytes(32).toString('hex'),
    OPERATOR_TOKEN: operatorToken,
    WORKERS: 'true',
    RELAY_HOSTNAME,
    WEB_DIST_DIR: options.webDistDir ?? '',
    ...options.apiEnv,
  }, ROOT);
  // Registered before the first start: a failed start still leaves nothing running.
  const nodes: RelayNode[] = [];
  cleanups.push(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await api.stop();
  });
  const startApi = async (extraEnv: Record<string, string> = {}) => {
    api.start(extraEnv);
    await waitFor(async () => {
      if (!api.isRunning) throw new Error(`api exited\n${api.tail()}`);
      return isOk(`${apiUrl}/readyz`);
    }, { timeoutMs: START_TIMEOUT_MS, intervalMs: 100, description: `api /readyz\n${api.tail()}` });
  };
  await startApi();
  const operator = httpClient(apiUrl, { authorization: `Bearer ${operatorToken}` });

  const relayEnv = {
    ...baseEnv,
    API_URL: apiUrl,
    RELAY_BIND: '127.0.0.1',
    // One key for every node of the stack: a return path one node's worker signs verifies at any node's port 25.
    RETURN_PATH_KEY: randomBytes(32).toString('hex'),
    FEEDBACK_PROVIDER_DOMAINS: FEEDBACK_PROVIDER_DOMAIN,
  };
  const registerNode = async (spec: NodeSpec): Promise<RelayNode> => {
    const registered = expectStatus(
      await operator<{ token: string }>('POST', '/v1/operator/relay-nodes', { name: spec.name }),
      201,
      `register relay node ${spec.name}`,
    );
    const node = relayNode(spec, registered.token, relayEnv, tempDir);
    nodes.push(node);
    return node;
  };
  const addNode = async (spec: NodeSpec): Promise<RelayNode> => {
    const node = await registerNode(spec);
    await node.start();
    return node;
  };
  const initial: RelayNode[] = [];
  for (const spec of options.nodes ?? [{ name: 'node-a', role: 'all' }]) initial.push(await registerNode(spec));
  // Started together: each spends most of its start-up loading code and making its TLS key.
  await Promise.all(initial.map((node) => node.start()));
  const listening = initial.find((node) => node.ports)?.ports;
  if (options.advertiseSmtp && listening) {
    await api.stop();
    await startApi({
      SMTP_PUBLIC_HOST: 'localhost',
      SMTP_PUBLIC_PORTS: `${listening.submission}/starttls,${listening.submissions}/tls`,
      SMTP_TLS_CERTIFICATE: 'self-signed',
    });
  }

  return {
    apiUrl,
    api,
    startApi,
    operator,
    nodes,
    node: (name) => {
      const node = nodes.find((candidate) => candidate.name === name);
      if (!node) throw new Error(`no relay node ${name}`);
      return node;
    },
    addNode,
    dns,
    sink,
    db,
    redisUrl: redis.url,
    redisPrefix: redis.prefix,
    policySettled: async () => {
      const current = await policyVersion(db.url);
      for (const node of nodes.filter((candidate) => candidate.ports && candidate.process.isRunning)) {
        await waitFor(async () => (await nodePolicyVersion(node)) >= current, {
          timeoutMs: 15_000,
          intervalMs: 50,
          description: `${node.name} loading policy version ${current}`,
        });
      }
    },
    routeToSink: (domain) => {
      dns.set(domain, 'MX', [{ exchange: `mx.${domain}`, priority: 10 }]);
      dns.set(`mx.${domain}`, 'A', ['127.0.0.1']);
    },
  };

  function relayNode(spec: NodeSpec, token: string, env: Record<string, string>, dir: string): RelayNode {
    const role = spec.role ?? 'all';
    const hostname = `${spec.name}.${RELAY_HOSTNAME}`;
    const policyCacheFile = join(dir, `${spec.name}-policy.json`);
    const proc = new ServiceProcess(spec.name, RELAY_MAIN, {
      ...env,
      RELAY_ROLE: role,
      RELAY_NODE_TOKEN: token,
      RELAY_HOSTNAME: hostname,
      // Port 0 everywhere: the node logs the ports it got, so parallel test files never race for one.
      SUBMISSION_PORT: '0',
      SUBMISSIONS_PORT: '0',
      INBOUND_PORT: '0',
      HEALTH_PORT: '0',
      POLICY_CACHE_FILE: policyCacheFile,
      DELIVERY_PORT: String(sink.port),
      SHUTDOWN_GRACE_SECONDS: '2',
      ...options.relayEnv,
    }, ROOT);
    const node: RelayNode = {
      name: spec.name,
      role,
      hostname,
      process: proc,
      ports: undefined,
      policyCacheFile,
      start: async () => {
        proc.start();
        if (role === 'worker') {
          await proc.waitForLog((line) => line.msg === 'delivery worker started', 'delivery worker started', START_TIMEOUT_MS);
          node.ports = undefined;
          return;
        }
        const listening = await proc.waitForLog((line) => line.msg === 'relay listening', 'relay listening', START_TIMEOUT_MS);
        const ports = listening.ports as RelayPorts;
        node.ports = ports;
        await waitFor(async () => {
          if (!proc.isRunning) throw new Error(`${spec.name} exited\n${proc.tail()}`);
          return isOk(`http://127.0.0.1:${ports.health}/readyz`);
        }, { timeoutMs: START_TIMEOUT_MS, intervalMs: 100, description: `${spec.name} /readyz\n${proc.tail()}` });
        if (role === 'all') {
          await proc.waitForLog((line) => line.msg === 'delivery worker started', 'delivery worker started', START_TIMEOUT_MS);
        }
      },
      stop: () => proc.stop(),
      kill: () => proc.kill(),
    };
    return node;
  }
}

/** The version of the newest policy change in the API's database: what every node must have caught up to. */
async function policyVersion(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ version: string }>('SELECT coalesce(max(version), 0)::text AS version FROM policy_changes');
    return Number(rows[0]?.version ?? 0);
  } finally {
    await client.end();
  }
}

/**
 * The policy version a node serves from, as its /readyz reports it; -1 while it has none. A node restarting between
 * two probes does not answer: that is "not there yet" to the waitFor polling this, which reports the timeout.
 */
async function nodePolicyVersion(node: RelayNode): Promise<number> {
  try {
    const response = await fetch(`http://127.0.0.1:${node.ports?.health}/readyz`);
    const body = (await response.json()) as { policy?: { version?: number | string | null } };
    return Number(body.policy?.version ?? -1);
  } catch {
    return -1;
  }
}
