import { createResolver } from '@smarthost/dns';
import { createRecordLookup } from '@smarthost/dns';
import type { Logger } from '@smarthost/logger';
import { createRedisConnection } from '@smarthost/queues';
import type { PolicyIndex } from '@smarthost/relay-policy';
import type { Server } from 'node:http';
import type { RelayConfig } from './config/relay-config';
import { returnPathKeyring } from './config/reports-config';
import { srsKeyOf } from './delivery/delivery-config';
import { loadArcKey } from './inbound-auth/arc-key';
import type { InboundAuthOptions } from './inbound-auth/authenticate-message';
import { EventSink } from './events/event-sink';
import { EventWriter } from './events/event-writer';
import { createHealthServer, listenHealth } from './health/health-server';
import { AuthLimiter } from './limits/auth-limiter';
import { InboundMeter, inboundStaleAfterMs } from './limits/inbound-meter';
import type { AuthLimits } from './limits/auth-rules';
import { QuotaCounter } from './limits/quota';
import { CredentialUsage } from './policy/credential-usage';
import { Heartbeat } from './policy/heartbeat';
import { interfaceAddresses } from './net/own-addresses';
import { PolicyApiClient } from './policy/policy-api-client';
import { PolicyStore, type PolicyStatus } from './policy/policy-store';
import { PolicySync } from './policy/policy-sync';
import { coalesceRedisWrites } from './net/coalesce-writes';
import { MessageStore } from './queue/message-store';
import { admissionLimits } from './smtp/admission/admission-config';
import { closeListener, createListener, listen, type Listener } from './smtp/listeners';
import type { RelayContext, ReportSettings } from './smtp/relay-context';
import type { ListenerKind } from './smtp/session-state';
import { loadTlsMaterial } from './tls/tls-material';

export interface RelayPorts {
  submission: number;
  submissions: number;
  inbound: number;
  health: number;
}

export interface RunningRelay {
  ports: RelayPorts;
  policyStatus(): PolicyStatus;
  /** Graceful: stop accepting, let sessions finish (up to SHUTDOWN_GRACE_SECONDS), then release Redis. */
  close(): Promise<void>;
}

const RELAY_VERSION = '0.1.0';
const DEFAULT_SIZE = 25 * 1024 * 1024;

/** Starts the SMTP listeners, policy sync, heartbeat and health endpoint. Used by main and by tests. */
export async function startRelay(config: RelayConfig, logger: Logger): Promise<RunningRelay> {
  const log = logger.child({ node: config.RELAY_HOSTNAME });
  // A Redis that accepts the connection but never answers must not hold an SMTP client at RCPT or DATA.
  const redis = createRedisConnection({ url: config.REDIS_URL, prefix: config.REDIS_PREFIX }, 'producer', { commandTimeout: config.REDIS_COMMAND_TIMEOUT_MS });
  redis.on('error', (error) => log.warn({ err: error }, 'redis connection error'));
  coalesceRedisWrites(redis);
  const policy = new PolicyStore(config.POLICY_MAX_STALENESS_SECONDS * 1000);
  const api = new PolicyApiClient(config.API_URL, config.RELAY_NODE_TOKEN);
  const sync = new PolicySync(policy, api, syncOptions(config), log);
  const events = new EventSink(new EventWriter(redis, config.REDIS_PREFIX), log);
  const messages = new MessageStore(redis, config.REDIS_PREFIX, log, events);
  const credentialUsage = new CredentialUsage();
  const ctx: RelayContext = {
    hostname: config.RELAY_HOSTNAME,
    feedbackAddress: (config.FEEDBACK_ADDRESS || `fbl@${config.RELAY_HOSTNAME}`).toLowerCase(),
    reports: reportSettings(config),
    inboundAuth: await inboundAuthOptions(config, log),
    srs: srsKeyOf(config),
    logger: log,
    policy,
    quota: new QuotaCounter(redis, config.REDIS_PREFIX, { onReturnFailed: (error) => log.warn({ err: error }, 'leased quota not given back') }),
    inboundMeter: new InboundMeter(redis, config.REDIS_PREFIX, inboundStaleAfterMs(config.INBOUND_MAX_AGE_SECONDS)),
    authLimiter: new AuthLimiter(redis, config.REDIS_PREFIX, authLimits(config)),
    credentialUsage,
    messages,
    events,
    limits: {
      inboundMaxRecipients: config.INBOUND_MAX_RECIPIENTS,
      maxReceivedHeaders: config.MAX_RECEIVED_HEADERS,
    },
    connections: new Map(),
  };
  if (config.FEEDBACK_PROVIDER_DOMAINS.length === 0) log.warn('FEEDBACK_PROVIDER_DOMAINS is empty: no spam complaint will suppress or count (ADR 0006)');
  const tls = await loadTlsMaterial(config.TLS_CERT_FILE, config.TLS_KEY_FILE, config.RELAY_HOSTNAME, log);
  const settings = {
    admission: admissionLimits(config),
    socketTimeoutMs: config.SOCKET_TIMEOUT_SECONDS * 1000,
    closeTimeoutMs: config.SHUTDOWN_GRACE_SECONDS * 1000,
    defaultSize: DEFAULT_SIZE,
  };
  const kinds: ListenerKind[] = ['submission', 'submissions', 'inbound'];
  const listeners = kinds.map((kind) => createListener(ctx, kind, tls, settings));
  policy.onChange((index) => advertiseSize(listeners, index));

  await sync.loadCache();
  sync.start();
  const heartbeat = new Heartbeat(api, config.HEARTBEAT_INTERVAL_SECONDS * 1000, async () => ({
    version: RELAY_VERSION,
    publicIps: config.RELAY_PUBLIC_IPS.length > 0 ? config.RELAY_PUBLIC_IPS : interfaceAddresses(),
    policyVersion: policy.index?.version ?? null,
    queueDepth: await messages.depth().catch(() => null),
    credentialUses: credentialUsage.take(),
  }), log, (body) => credentialUsage.giveBack(body.credentialUses));
  heartbeat.start();

  const health = createHealthServer(redis, policy);
  const [submission, submissions, inbound] = await Promise.all([
    listen(listeners[0] as Listener, config.SUBMISSION_PORT, config.RELAY_BIND),
    listen(listeners[1] as Listener, config.SUBMISSIONS_PORT, config.RELAY_BIND),
    listen(listeners[2] as Listener, config.INBOUND_PORT, config.RELAY_BIND),
  ]);
  const ports: RelayPorts = {
    submission: submission as number,
    submissions: submissions as number,
    inbound: inbound as number,
    health: await listenHealth(health, config.HEALTH_PORT, config.RELAY_BIND),
  };
  log.info({ ports }, 'relay listening');

  let closing: Promise<void> | undefined;
  return {
    ports,
    policyStatus: () => policy.status(),
    close: () => (closing ??= shutdown(log, listeners, health, sync, heartbeat, ctx, redis)),
  };
}

// One lookup of a provider's DKIM key: a slow answer is retried once, within REPORT_DKIM_TIMEOUT_SECONDS overall.
const REPORT_DNS_TIMEOUT_MS = 3_000;
const REPORT_DNS_TRIES = 2;

function reportSettings(config: RelayConfig): ReportSettings {
  const servers = config.DNS_SERVERS.length > 0 ? { servers: config.DNS_SERVERS } : {};
  return {
    returnPathKeys: returnPathKeyring(config),
    maxBytes: config.REPORT_MAX_BYTES,
    signature: {
      providerDomains: config.FEEDBACK_PROVIDER_DOMAINS,
      resolver: createResolver({ ...servers, timeoutMs: REPORT_DNS_TIMEOUT_MS, tries: REPORT_DNS_TRIES }),
      timeoutMs: config.REPORT_DKIM_TIMEOUT_SECONDS * 1000,
    },
  };
}

// Per try; the message's INBOUND_AUTH_DNS_DEADLINE_MS bounds all of its lookups together.
const AUTH_DNS_TIMEOUT_MS = 2000;
const AUTH_DNS_TRIES = 2;

async function inboundAuthOptions(config: RelayConfig, log: Logger): Promise<InboundAuthOptions> {
  const arcDomain = config.ARC_DOMAIN || config.RELAY_HOSTNAME;
  const servers = config.DNS_SERVERS.length > 0 ? { servers: config.DNS_SERVERS } : {};
  return {
    authservId: config.AUTHSERV_ID || config.RELAY_HOSTNAME,
    lookupUntil: createRecordLookup({ ...servers, timeoutMs: AUTH_DNS_TIMEOUT_MS, tries: AUTH_DNS_TRIES }),
    dnsDeadlineMs: config.INBOUND_AUTH_DNS_DEADLINE_MS,
    arc: {
      signingDomain: arcDomain,
      selector: config.ARC_SELECTOR,
      privateKey: await loadArcKey(config.ARC_KEY_FILE, `${config.ARC_SELECTOR}._domainkey.${arcDomain}`, log),
    },
  };
}

function authLimits(config: RelayConfig): AuthLimits {
  return {
    maxFailuresPerConnection: config.AUTH_MAX_FAILURES_PER_CONNECTION,
    tarpitStepMs: config.AUTH_TARPIT_STEP_MS,
    tarpitMaxMs: config.AUTH_TARPIT_MAX_MS,
    windowSeconds: config.AUTH_FLOOD_WINDOW_SECONDS,
    blockSeconds: config.AUTH_FLOOD_BLOCK_SECONDS,
    maxFailuresPerUsername: config.AUTH_FLOOD_MAX_FAILURES_PER_USERNAME,
    maxUsernamesPerAddress: config.AUTH_FLOOD_MAX_USERNAMES,
  };
}

function syncOptions(config: RelayConfig) {
  const stalenessMs = config.POLICY_MAX_STALENESS_SECONDS * 1000;
  return {
    cacheFile: config.POLICY_CACHE_FILE,
    // A long-poll that answers 204 is what keeps the policy fresh: it must return well within the limit.
    waitSeconds: Math.max(1, Math.min(config.POLICY_POLL_WAIT_SECONDS, Math.floor(config.POLICY_MAX_STALENESS_SECONDS / 3))),
    cacheRefreshMs: Math.max(1000, Math.floor(stalenessMs / 10)),
  };
}

function advertiseSize(listeners: Listener[], index: PolicyIndex): void {
  const largest = Math.max(0, ...index.toSnapshot().tenants.map((t) => t.limits.maxMessageBytes));
  for (const listener of listeners) listener.setSize(largest > 0 ? largest : DEFAULT_SIZE);
}

async function shutdown(
  log: Logger,
  listeners: Listener[],
  health: Server,
  sync: PolicySync,
  heartbeat: Heartbeat,
  ctx: RelayContext,
  redis: ReturnType<typeof createRedisConnection>,
): Promise<void> {
  log.info('relay shutting down');
  // Listeners first: open sessions may still need the policy, Redis and the queues to finish.
  await Promise.all(listeners.map(closeListener));
  await Promise.all([sync.stop(), heartbeat.stop()]);
  await new Promise<void>((resolve) => health.close(() => resolve()));
  await ctx.quota.close();
  await ctx.events.close();
  await ctx.messages.close();
  await redis.quit().catch(() => redis.disconnect());
  log.info('relay stopped');
}
