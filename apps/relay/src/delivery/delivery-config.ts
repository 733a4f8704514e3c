import type { SrsKey } from '@smarthost/relay-policy';
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';
import type { RelayConfig } from '../config/relay-config';
import type { ReturnPathKeyConfig } from '../config/reports-config';

export interface HostPort {
  host: string;
  port: number;
}

/** `host:port`, `[v6]:port` or `v4:port`; the port is required. */
export function parseHostPort(value: string): HostPort | undefined {
  const match = /^(?:\[([0-9a-f:.]+)\]|([^\s:[\]]+)):(\d{1,5})$/i.exec(value.trim());
  if (!match) return undefined;
  const host = (match[1] ?? match[2]) as string;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return undefined;
  if (match[1] !== undefined && isIP(host) !== 6) return undefined;
  return { host, port };
}

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const count = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);

const dnsServers = z
  .string()
  .default('')
  .transform((value, ctx) => {
    const entries = value.split(/[\s,]+/).filter((entry) => entry !== '');
    for (const entry of entries) {
      if (isIP(entry) === 0 && !parseHostPort(entry)) {
        ctx.addIssue({ code: 'custom', message: `"${entry}" is not an IP address or ip:port` });
      }
    }
    return entries;
  });

const relayhost = z
  .string()
  .default('')
  .transform((value, ctx): HostPort | null => {
    if (value.trim() === '') return null;
    const parsed = parseHostPort(value);
    if (!parsed) ctx.addIssue({ code: 'custom', message: 'must be host:port' });
    return parsed ?? null;
  });

/**
 * The delivery workers' part of the relay config (merged into relayConfigSchema). Defaults follow Postfix where
 * it has an equivalent: maximal_queue_lifetime 5d, default_destination_concurrency_limit 20 → 5 here per host.
 */
export const deliveryConfigSchema = z.object({
  /** Name servers for MX/A/AAAA lookups and for feedback loops' DKIM keys (reports), `ip` or `ip:port`, comma separated; empty = the system's. */
  DNS_SERVERS: dnsServers,
  /** Messages one worker process delivers at the same time. */
  DELIVERY_CONCURRENCY: count(20, 1000),
  /** Open SMTP connections per remote server (address:port), busy or idle; protects both sides. */
  DELIVERY_PER_DESTINATION_CONCURRENCY: count(5, 100),
  /** After this long since acceptance a still-deferred recipient bounces (RFC 5321 §4.5.4.1: 4-5 days). */
  DELIVERY_MAX_AGE_SECONDS: seconds(5 * 24 * 3600),
  /**
   * Inbound mail the customer's server has not taken this long after acceptance is given up (bounced, reason
   * expired, no notice to the unauthenticated envelope sender) and leaves the tenant's backlog. Shorter than the
   * outbound lifetime: a dead customer server must not hold its backlog cap for days.
   */
  INBOUND_MAX_AGE_SECONDS: seconds(2 * 24 * 3600),
  /** First retry delay; doubles per attempt up to DELIVERY_BACKOFF_MAX_SECONDS (RFC 5321 §4.5.4.1: ≥ 30 min is usual). */
  DELIVERY_BACKOFF_BASE_SECONDS: seconds(300),
  DELIVERY_BACKOFF_MAX_SECONDS: seconds(4 * 3600),
  /** `host:port`: send every outbound message there instead of to the MX (Postfix relayhost); empty = MX. */
  DELIVERY_RELAYHOST: relayhost,
  /** Port of remote MX hosts (25; tests point it at a sink on loopback). */
  DELIVERY_PORT: z.coerce.number().int().min(1).max(65535).default(25),
  /** EHLO name; empty = RELAY_HOSTNAME. Should match the sending IP's PTR record. */
  DELIVERY_HELO_NAME: z
    .string()
    .regex(/^([a-z0-9.-]+)?$/i, 'must be a host name')
    .default(''),
  DELIVERY_CONNECT_TIMEOUT_SECONDS: seconds(30),
  /** Inactivity limit of one SMTP session (RFC 5321 §4.5.3.2 allows the server up to 10 minutes after DATA). */
  DELIVERY_SOCKET_TIMEOUT_SECONDS: seconds(600),
  /** A job whose worker stops renewing its lock this long is taken over by another worker (at-least-once). */
  DELIVERY_LOCK_SECONDS: seconds(60),
  /** Unexpected failures (exceptions, killed workers) of one message before it is dead-lettered. */
  DELIVERY_POISON_ATTEMPTS: count(5, 100),
  /** Successful MX/A/AAAA answers are reused this long (0 = ask the resolver for every message). */
  DELIVERY_DNS_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
  /**
   * Secret: the key of SRS return addresses (forwarded mail's envelope sender). The same on every node, since a
   * bounce may come back to any of them; changing it invalidates the addresses of mail in flight. Never logged.
   * Required in production; empty elsewhere: derived from RELAY_NODE_TOKEN (a one-node demo or test).
   */
  SRS_SECRET: z.string().refine((value) => value === '' || value.length >= 16, 'must be at least 16 characters').default(''),
  /** The domain of SRS addresses; empty: RELAY_HOSTNAME. It must have the relay nodes as MX (bounces come back). */
  SRS_DOMAIN: z
    .string()
    .regex(/^([a-z0-9.-]+)?$/i, 'must be a host name')
    .default(''),
  /** Days an SRS address takes bounces (libsrs2's default 21: well past any delivery's 5-day queue lifetime). */
  SRS_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(365).default(21),
  /**
   * PEM file of extra CAs a route's server certificate may chain to in `require_verified` mode, on top of Node's
   * bundled roots: a customer's private CA, or a test's own. Empty = the bundled roots only.
   */
  DELIVERY_TLS_CA_FILE: z.string().default(''),
  /** How long a DKIM key fetched from the API is used before it is fetched again. */
  DKIM_KEY_CACHE_SECONDS: seconds(300),
});

export type DeliveryConfig = z.infer<typeof deliveryConfigSchema>;

/** The SRS key both roles use: the relay checks bounces to SRS addresses that the workers make. */
export function srsKeyOf(config: DeliveryConfig & Pick<RelayConfig, 'RELAY_HOSTNAME' | 'RELAY_NODE_TOKEN'>): SrsKey {
  const secret = config.SRS_SECRET || createHash('sha256').update(`srs:${config.RELAY_NODE_TOKEN}`).digest('hex');
  return { secret, domain: (config.SRS_DOMAIN || config.RELAY_HOSTNAME).toLowerCase(), maxAgeDays: config.SRS_MAX_AGE_DAYS };
}

/** What the worker reads: its own fragment plus the shared relay settings it needs. */
export type DeliveryWorkerConfig = DeliveryConfig &
  ReturnPathKeyConfig &
  Pick<RelayConfig, 'NODE_ENV' | 'REDIS_URL' | 'REDIS_PREFIX' | 'API_URL' | 'RELAY_NODE_TOKEN' | 'RELAY_HOSTNAME' | 'RELAY_PUBLIC_IPS'>;
