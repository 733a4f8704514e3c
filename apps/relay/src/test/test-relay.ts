import { createLogger } from '@smarthost/logger';
import { createQueue, QUEUE_NAMES, type DeliveryJob, type RelayEvent } from '@smarthost/queues';
import { storedEvents } from './stored-events';
import type { PolicySnapshot } from '@smarthost/relay-policy';
import { startDnsServer, testRedis, waitFor, type TestDnsServer, type TestRedis } from '@smarthost/testkit';
import type { Job, Queue } from 'bullmq';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRelayConfig } from '../config/relay-config';
import { startRelay, type RunningRelay } from '../start-relay';
import { baseSnapshot } from './fixtures';
import { PolicyTestServer, TEST_NODE_TOKEN } from './policy-test-server';
import { TEST_RETURN_PATH_KEY } from './return-path-keys';

export const RELAY_HOSTNAME = 'relay.smarthost.test';

/** The environment a test relay runs with: every port ephemeral, everything on loopback. */
export function relayEnv(api: string, redis: TestRedis, cacheFile: string, extra: Record<string, string> = {}, dns?: TestDnsServer) {
  return {
    // Port 25 checks SPF/DKIM/DMARC for every message: against a loopback server, never the system's resolvers.
    ...(dns === undefined ? {} : { DNS_SERVERS: dns.server }),
    API_URL: api,
    RELAY_NODE_TOKEN: TEST_NODE_TOKEN,
    RETURN_PATH_KEY: TEST_RETURN_PATH_KEY,
    REDIS_URL: redis.url,
    REDIS_PREFIX: redis.prefix,
    RELAY_HOSTNAME,
    RELAY_BIND: '127.0.0.1',
    SUBMISSION_PORT: '0',
    SUBMISSIONS_PORT: '0',
    INBOUND_PORT: '0',
    HEALTH_PORT: '0',
    POLICY_CACHE_FILE: cacheFile,
    POLICY_POLL_WAIT_SECONDS: '2',
    SHUTDOWN_GRACE_SECONDS: '1',
    LOG_LEVEL: process.env.RELAY_TEST_LOG_LEVEL ?? 'silent',
    ...extra,
  };
}

export interface RelayTestBed {
  api: PolicyTestServer;
  redis: TestRedis;
  /** The relay's name server (empty zone unless a test adds records). */
  dns: TestDnsServer;
  relay: RunningRelay;
  dir: string;
  env: Record<string, string>;
  deliveryQueue: Queue<DeliveryJob>;
  /** Starts another relay node against the same API, Redis and (unless given) cache file. */
  startNode(extra?: Record<string, string>): Promise<RunningRelay>;
  deliveryJobs(): Promise<Job<DeliveryJob>[]>;
  events(): Promise<RelayEvent[]>;
  waitForPolicyVersion(version: number, relay?: RunningRelay): Promise<void>;
  close(): Promise<void>;
}

/** A relay started in-process with its own policy server, Redis prefix and cache directory. */
export async function startTestBed(
  options: { snapshot?: PolicySnapshot; env?: Record<string, string>; waitForPolicy?: boolean } = {},
): Promise<RelayTestBed> {
  const api = await new PolicyTestServer(options.snapshot ?? baseSnapshot()).start();
  const redis = await testRedis();
  const dns = await startDnsServer();
  const dir = await mkdtemp(join(tmpdir(), 'relay-test-'));
  const env = relayEnv(api.url, redis, join(dir, 'policy.json'), options.env, dns);
  const nodes: RunningRelay[] = [];
  const logger = createLogger({ name: 'relay-test', level: env.LOG_LEVEL });
  const startNode = async (extra: Record<string, string> = {}) => {
    const node = await startRelay(loadRelayConfig({ ...env, ...extra }), logger);
    nodes.push(node);
    return node;
  };
  const relay = await startNode();
  const deliveryQueue = createQueue<DeliveryJob>(QUEUE_NAMES.delivery, { connection: redis.client, prefix: redis.prefix });
  const eventsQueue = createQueue<unknown>(QUEUE_NAMES.events, { connection: redis.client, prefix: redis.prefix });
  const bed: RelayTestBed = {
    api,
    redis,
    dns,
    relay,
    dir,
    env,
    deliveryQueue,
    startNode,
    deliveryJobs: () => deliveryQueue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']),
    events: async () => (await eventsQueue.getJobs(['waiting', 'delayed', 'active'])).flatMap((job) => storedEvents(job.data)),
    waitForPolicyVersion: async (version, node = relay) => {
      await waitFor(() => (node.policyStatus().version ?? -1) >= version && !node.policyStatus().stale, {
        timeoutMs: 10_000,
        description: `policy version ${version}`,
      });
    },
    close: async () => {
      await Promise.all(nodes.map((node) => node.close()));
      await deliveryQueue.close();
      await eventsQueue.close();
      await api.stop();
      await dns.close();
      await redis.cleanup();
      await rm(dir, { recursive: true, force: true });
    },
  };
  if (options.waitForPolicy ?? true) await bed.waitForPolicyVersion(api.version);
  return bed;
}

/** A minimal RFC 5322 message with CRLF line endings. */
export function message(from: string, to: string, body = 'Hello from the relay tests.', extraHeaders: string[] = []): string {
  return [
    `From: ${from}`,
    `To: ${to}`,
    'Subject: test',
    `Message-ID: <${Date.now()}.${Math.random().toString(36).slice(2)}@client.test>`,
    ...extraHeaders,
    '',
    body,
    '',
  ].join('\r\n');
}
