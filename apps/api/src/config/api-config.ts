import { bool, decodeKey, loadConfig, logLevel, nodeEnv, port, secretKey, url } from '@smarthost/config';
import { normalizeDomain } from '@smarthost/dns';
import { z } from 'zod';

/**
 * Comma-separated DNS blocklist zones, each a host name in the form we query (lower case, punycode, no trailing
 * dot); empty turns that kind of check off. A bad entry is named, so the message says which zone to fix.
 */
const zoneList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const zones = value.split(',').map((s) => s.trim()).filter(Boolean);
      const normalized = zones.map((zone) => normalizeDomain(zone));
      const bad = zones.filter((_, i) => !normalized[i]?.ok);
      if (bad.length > 0) ctx.addIssue({ code: 'custom', message: `not a host name: ${bad.map((zone) => JSON.stringify(zone)).join(', ')}` });
      return normalized.flatMap((result) => (result.ok ? [result.domain] : []));
    });

/**
 * `plan=price,plan=price`: the Stripe price each purchasable plan is sold at. Plans not named here cannot be bought
 * (the free plan, or a plan kept for existing customers).
 */
const stripePrices = z
  .string()
  .default('')
  .transform((value, ctx) => {
    const prices: Record<string, string> = {};
    for (const entry of value.split(',').map((s) => s.trim()).filter(Boolean)) {
      const match = /^([a-z0-9_-]+)=(price_[A-Za-z0-9_]+)$/.exec(entry);
      if (match) prices[match[1] as string] = match[2] as string;
      else ctx.addIssue({ code: 'custom', message: `"${entry}" is not plan=price_…` });
    }
    return prices;
  });

/**
 * `port/mode,port/mode`: the submission ports customers connect to and how TLS starts on each (RFC 8314: `tls` is
 * implicit TLS from the first byte, `starttls` upgrades after EHLO). These are what the relay nodes are reached at
 * from outside, which a load balancer may map from other ports; the dashboard's client settings come from here.
 */
const smtpPorts = z
  .string()
  .default('587/starttls,465/tls')
  .transform((value, ctx) => {
    const ports: { port: number; security: 'starttls' | 'tls' }[] = [];
    for (const entry of value.split(',').map((s) => s.trim()).filter(Boolean)) {
      const match = /^(\d{1,5})\/(starttls|tls)$/.exec(entry);
      const port = Number(match?.[1]);
      if (match && port >= 1 && port <= 65535) ports.push({ port, security: match[2] as 'starttls' | 'tls' });
      else ctx.addIssue({ code: 'custom', message: `"${entry}" is not port/starttls or port/tls` });
    }
    if (ports.length === 0) ctx.addIssue({ code: 'custom', message: 'name at least one port' });
    return ports;
  });

/** Every variable the API reads. Documented in .env.example; nothing else reads process.env. */
export const apiConfigSchema = z.object({
  NODE_ENV: nodeEnv,
  LOG_LEVEL: logLevel,
  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: port(3000),
  /** Public base URL of the API/dashboard, used in links (invitations, Stripe return URLs). */
  PUBLIC_URL: url(['http', 'https']).default('http://127.0.0.1:3000'),
  DATABASE_URL: url(['postgres', 'postgresql']),
  REDIS_URL: url(['redis', 'rediss']).default('redis://127.0.0.1:6379'),
  /** Key prefix for every Redis key and BullMQ queue, so several stacks (or test files) can share one Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, "must be letters, digits, '_', '.' or '-' (no ':', BullMQ forbids it)")
    .default('smarthost'),
  /** Secret (32 bytes, hex or base64) that signs session cookies. */
  SESSION_SECRET: secretKey(32),
  /** Master key (32 bytes) for AES-256-GCM encryption of DKIM private keys at rest. */
  DKIM_MASTER_KEY: secretKey(32),
  /** Identifier of DKIM_MASTER_KEY, stored with each ciphertext so keys can be rotated. */
  DKIM_MASTER_KEY_ID: z.string().min(1).default('k1'),
  /** Secure (HTTPS-only) cookies; NODE_ENV=production refuses to start without it. */
  COOKIE_SECURE: bool(false),
  /** DNS servers for domain verification and route loop checks (host:port, comma separated); empty = the system resolver. */
  DNS_SERVERS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((s) => s.trim()).filter(Boolean)),
  /** The name relay nodes announce and customers point their return-path/SPF/MX records at. */
  RELAY_HOSTNAME: z.string().min(1).default('relay.smarthost.local'),
  /** The host name applications connect to for SMTP submission; empty = RELAY_HOSTNAME. */
  SMTP_PUBLIC_HOST: z.string().trim().max(253).default(''),
  SMTP_PUBLIC_PORTS: smtpPorts,
  /**
   * Whether the relays' certificate is one clients trust (`trusted`, production) or self-signed (`self-signed`, the
   * demo's generated certificate): with self-signed the dashboard's snippets carry a marked "do not verify" option.
   */
  SMTP_TLS_CERTIFICATE: z.enum(['trusted', 'self-signed']).default('trusted'),
  /** Directory of the built dashboard to serve at /; empty disables serving it. */
  WEB_DIST_DIR: z.string().default(''),
  /**
   * Secret (32 bytes, hex or base64) operators send as `Authorization: Bearer` on /v1/operator/... routes.
   * Unset: the operator routes refuse every request.
   */
  OPERATOR_TOKEN: secretKey(32).optional(),
  /** Run background workers (ingest, schedules) in this process. */
  WORKERS: bool(true),
  /** Refuse to start unless Redis has AOF on and noeviction; always on when NODE_ENV=production. */
  REDIS_REQUIRE_DURABLE: bool(false),
  /** Days raw delivery events (the message timeline) are kept. */
  EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
  /** Days hourly statistics rollups are kept (longer than raw events: the dashboard's long-range charts). */
  ROLLUP_RETENTION_DAYS: z.coerce.number().int().min(1).default(400),
  /** Blocklist lookups (one row per target, zone and sweep) are kept this long; the listings themselves stay. */
  BLACKLIST_CHECK_RETENTION_DAYS: z.coerce.number().int().min(1).default(7),
  /** DNS blocklists (RFC 5782) the relay nodes' public IPs are looked up in. */
  DNSBL_IP_ZONES: zoneList('zen.spamhaus.org,bl.spamcop.net,b.barracudacentral.org'),
  /** Domain blocklists the tenants' verified domains are looked up in. */
  DNSBL_DOMAIN_ZONES: zoneList('dbl.spamhaus.org'),
  /** Seconds between blocklist sweeps; lists update within minutes, and their operators rate-limit frequent askers. */
  BLACKLIST_CHECK_INTERVAL_SECONDS: z.coerce.number().int().min(60).default(3600),
  /**
   * Bounced share of a tenant's delivered + bounced mail over 24 hours at which its sending is paused (0 = never).
   * 10% is where Amazon SES pauses an account; a shared relay cannot wait for the blocklists to decide.
   */
  REPUTATION_BOUNCE_PAUSE_RATE: z.coerce.number().min(0).max(1).default(0.1),
  /** Delivered + bounced messages a tenant needs in the window before its bounce rate is judged. */
  REPUTATION_MIN_MESSAGES: z.coerce.number().int().min(1).default(200),
  /**
   * Spam complaints per delivered message over 24 hours at which a tenant's sending is paused (0 = never). 0.3% is
   * the line Gmail and Yahoo hold bulk senders to.
   */
  REPUTATION_COMPLAINT_PAUSE_RATE: z.coerce.number().min(0).max(1).default(0.003),
  /** Delivered messages a tenant needs in the window before its complaint rate is judged. */
  REPUTATION_MIN_DELIVERED_FOR_COMPLAINTS: z.coerce.number().int().min(1).default(1000),
  /** Stripe secret key (sk_…). Unset: billing is off, every plan change is an operator's. */
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_\w+$/, 'must be a Stripe secret key (sk_… or rk_…)').optional(),
  /** Signing secret of the webhook endpoint (whsec_…); events without a valid signature are refused. */
  STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_\w+$/, 'must be a webhook signing secret (whsec_…)').optional(),
  /** Where the Stripe API is; only a local stand-in (tests, the demo) needs this. Unset: api.stripe.com. */
  STRIPE_API_URL: url(['http', 'https']).optional(),
  STRIPE_PRICES: stripePrices,
}).superRefine((config, ctx) => {
  // Refused rather than silently forced: an operator who wrote false has a proxy or TLS set-up to fix, and a
  // session cookie sent over plain HTTP can be read on the wire (OWASP Session Management, "Secure attribute").
  if (config.NODE_ENV === 'production' && !config.COOKIE_SECURE) {
    ctx.addIssue({ code: 'custom', path: ['COOKIE_SECURE'], message: 'must be true when NODE_ENV=production (session cookies only over HTTPS)' });
  }
});

export type ApiConfig = z.infer<typeof apiConfigSchema>;

export const API_CONFIG = Symbol('API_CONFIG');

export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  return loadConfig(apiConfigSchema, env);
}

export function keyBytes(value: string): Buffer {
  const bytes = decodeKey(value);
  if (!bytes) throw new Error('key is neither hex nor base64');
  return bytes;
}
