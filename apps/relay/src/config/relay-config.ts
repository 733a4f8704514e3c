import { bool, ConfigError, loadConfig, logLevel, nodeEnv, port, url } from '@smarthost/config';
import { isIP } from 'node:net';
import { z } from 'zod';
import { deliveryConfigSchema } from '../delivery/delivery-config';
import { reportsConfigSchema, returnPathKeyring } from './reports-config';
import { admissionConfigSchema } from '../smtp/admission/admission-config';

const optionalPath = z.string().default('');

const ipList = z
  .string()
  .default('')
  .transform((value, ctx) => {
    const entries = value.split(/[\s,]+/).filter((entry) => entry !== '');
    for (const entry of entries) if (isIP(entry) === 0) ctx.addIssue({ code: 'custom', message: `"${entry}" is not an IP address` });
    return entries;
  });

/** The relay's whole configuration; `loadRelayConfig` is the only reader of the environment. */
export const relayConfigSchema = z.object({
  NODE_ENV: nodeEnv,
  RELAY_ROLE: z.enum(['relay', 'worker', 'all']).default('all'),
  API_URL: url(['http', 'https']),
  /** Secret: bearer token of this node towards the API. Never logged. */
  RELAY_NODE_TOKEN: z.string().min(16, 'must be at least 16 characters'),
  REDIS_URL: url(['redis', 'rediss']),
  /** A Redis command (quota, enqueue, events) unanswered this long fails, and the client gets a 451. */
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, "must be letters, digits, '_', '.' or '-' (no ':', BullMQ forbids it)")
    .default('smarthost'),
  RELAY_HOSTNAME: z
    .string()
    .regex(/^[a-z0-9.-]+$/i, 'must be a host name')
    .default('relay.smarthost.local'),
  /**
   * Where mailbox providers' feedback loops send complaints (ARF, RFC 5965), as registered with them. Empty:
   * `fbl@<RELAY_HOSTNAME>`. Complaints there suppress the recipient for the tenant whose message it was.
   */
  FEEDBACK_ADDRESS: z.string().default(''),
  /** Listen address of all listeners. */
  RELAY_BIND: z.string().default('0.0.0.0'),
  /**
   * The addresses this node sends mail from, as the internet sees them, comma separated; reported in heartbeats
   * (the API checks them against IP blocklists). Empty: the host's non-loopback interface addresses, which behind
   * NAT are private and then not checked.
   */
  RELAY_PUBLIC_IPS: ipList,
  SUBMISSION_PORT: port(2587),
  SUBMISSIONS_PORT: port(2465),
  INBOUND_PORT: port(2525),
  HEALTH_PORT: port(2580),
  /** Both empty: a self-signed certificate is generated at start (demo only, logged as a warning). */
  TLS_CERT_FILE: optionalPath,
  TLS_KEY_FILE: optionalPath,
  POLICY_CACHE_FILE: z.string().min(1).default('.data/relay-policy.json'),
  POLICY_MAX_STALENESS_SECONDS: z.coerce.number().int().positive().default(3600),
  /** Seconds the API may hold a long-poll open. */
  POLICY_POLL_WAIT_SECONDS: z.coerce.number().int().min(1).max(60).default(25),
  HEARTBEAT_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(10),
  /** Sessions one listener holds at once, TLS handshakes included; the admission gate enforces it. */
  MAX_CLIENTS: z.coerce.number().int().positive().default(1000),
  /** An authenticated session idle this long is closed (smtp-server's idle timeout). */
  SOCKET_TIMEOUT_SECONDS: z.coerce.number().int().positive().default(60),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().nonnegative().default(30),
  /** AUTH failures before the connection is closed (421 4.7.0). */
  AUTH_MAX_FAILURES_PER_CONNECTION: z.coerce.number().int().positive().default(3),
  /**
   * Tarpit: each failed AUTH from an address (or for a username, from anywhere) within the window holds the next
   * failure reply this much longer, up to the cap. The first failure is free; a correct password is never held.
   */
  AUTH_TARPIT_STEP_MS: z.coerce.number().int().nonnegative().default(250),
  AUTH_TARPIT_MAX_MS: z.coerce.number().int().nonnegative().default(5000),
  /** Failures are counted per window from the first one; a flood refuses AUTH for AUTH_FLOOD_BLOCK_SECONDS. */
  AUTH_FLOOD_WINDOW_SECONDS: z.coerce.number().int().positive().default(60),
  AUTH_FLOOD_BLOCK_SECONDS: z.coerce.number().int().positive().default(300),
  /** More failures than this for one username from one address in a window: that username is refused there. */
  AUTH_FLOOD_MAX_FAILURES_PER_USERNAME: z.coerce.number().int().positive().default(30),
  /** More usernames than this failing from one address in a window (credential stuffing): the address is refused. */
  AUTH_FLOOD_MAX_USERNAMES: z.coerce.number().int().positive().default(10),
  /**
   * The authserv-id of this relay's Authentication-Results headers (RFC 8601 §2.5); empty: RELAY_HOSTNAME. Every
   * node of one deployment uses the same one, since incoming headers that claim it are removed as forged.
   */
  AUTHSERV_ID: z
    .string()
    .regex(/^([a-z0-9.-]+)?$/i, 'must be a host name')
    .default(''),
  /** Longest the SPF/DKIM/DMARC/ARC DNS lookups of one port-25 message may take; later ones end as temperror. */
  INBOUND_AUTH_DNS_DEADLINE_MS: z.coerce.number().int().min(100).max(60_000).default(8000),
  /** PEM RSA key the relay seals forwarded mail with (ARC, RFC 8617). Empty: generated at start (not in production). */
  ARC_KEY_FILE: optionalPath,
  /** The key is published at `<ARC_SELECTOR>._domainkey.<ARC_DOMAIN>` (empty domain: RELAY_HOSTNAME). */
  ARC_SELECTOR: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'must be a DNS label').default('arc'),
  ARC_DOMAIN: z
    .string()
    .regex(/^([a-z0-9.-]+)?$/i, 'must be a host name')
    .default(''),
  /**
   * Port 25: recipients one transaction may have; more get `452 4.5.3` and are sent in the next transaction.
   * RFC 5321 §4.5.3.1.8 requires room for at least 100.
   */
  INBOUND_MAX_RECIPIENTS: z.coerce.number().int().min(100).default(100),
  /** A message with more Received headers than this is a loop, refused `554 5.4.6` (RFC 5321 §6.3: at least 100). */
  MAX_RECEIVED_HEADERS: z.coerce.number().int().positive().default(25),
  LOG_LEVEL: logLevel,
  /** Refuse to start unless Redis has AOF on and noeviction; always on when NODE_ENV=production. */
  REDIS_REQUIRE_DURABLE: bool(false),
})
  .extend(deliveryConfigSchema.shape)
  .extend(reportsConfigSchema.shape)
  .extend(admissionConfigSchema.shape);

export type RelayConfig = z.infer<typeof relayConfigSchema>;

/** Throws ConfigError naming each bad variable; main() turns that into exit code 1. */
export function loadRelayConfig(env: NodeJS.ProcessEnv = process.env): RelayConfig {
  const config = loadConfig(relayConfigSchema, env);
  if ((config.TLS_CERT_FILE === '') !== (config.TLS_KEY_FILE === '')) {
    throw new ConfigError(['TLS_CERT_FILE/TLS_KEY_FILE: set both or neither']);
  }
  returnPathKeyring(config);
  // A generated key changes at every start and is published nowhere: receivers could never verify the seals.
  const missing = [
    ...(config.ARC_KEY_FILE === '' ? ['ARC_KEY_FILE: required in production'] : []),
    // Nodes must share it (a bounce may come back to any of them); per-node tokens differ.
    ...(config.SRS_SECRET === '' ? ['SRS_SECRET: required in production'] : []),
  ];
  if (config.NODE_ENV === 'production' && missing.length > 0) throw new ConfigError(missing);
  return config;
}
