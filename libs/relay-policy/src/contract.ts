import { z } from 'zod';
import { checkLocalPart, isNormalizedAddress, isNormalizedDomain, parseDomain } from './address';
import { isIpRange } from './ip-allowlist';
import { isSecretDigest } from './secrets';

/**
 * The policy contract between the API (which builds snapshots and deltas) and the relay nodes (which decide
 * every SMTP command from them). Bump the version on any incompatible change; a node refuses a snapshot or
 * delta with another version and keeps serving its last good one.
 */
export const POLICY_SCHEMA_VERSION = 2;

const id = z.string().min(1).max(128);
const count = z.number().int().nonnegative();
const normalizedDomain = z.string().max(255).refine(isNormalizedDomain, 'must be a lowercase A-label domain name');
const normalizedAddress = z.string().max(254).refine(isNormalizedAddress, 'must be a normalised (lowercase) address');

export const tenantLimitsSchema = z.object({
  messagesPerDay: count,
  messagesPerMonth: count,
  messagesPerMinute: count,
  recipientsPerMessage: z.number().int().positive(),
  maxMessageBytes: z.number().int().positive(),
});

/**
 * What mail from strangers on port 25 may cost a tenant (its plan's inbound limits): messages and bytes per UTC day,
 * and the bytes of its inbound mail queued but not yet taken by its own server, so a dead customer server fills
 * its own allowance in Redis and nobody else's.
 */
export const inboundLimitsSchema = z.object({
  messagesPerDay: count,
  bytesPerDay: count,
  backlogBytes: count,
});

/**
 * Until a node's first pull after an upgrade, a snapshot cached by the previous release has no inbound limits:
 * it is read with the free plan's, so port 25 is metered from the first message (a compatible addition).
 */
export const DEFAULT_INBOUND_LIMITS = Object.freeze({ messagesPerDay: 1_000, bytesPerDay: 100 * 1024 * 1024, backlogBytes: 25 * 1024 * 1024 });

export const tenantPolicySchema = z.object({
  id,
  status: z.enum(['active', 'suspended', 'paused']),
  statusReason: z.string().max(500).nullable(),
  limits: tenantLimitsSchema,
  inboundLimits: inboundLimitsSchema.default({ ...DEFAULT_INBOUND_LIMITS }),
  /**
   * Whether the delivery workers send the envelope sender a delivery status notification (RFC 3464) when a
   * recipient finally bounces. Defaults to false when absent, so a snapshot cached on disk by a node of the
   * previous release still loads (a compatible addition: no schema version bump).
   */
  bounceNotices: z.boolean().default(false),
});

export const domainPolicySchema = z.object({
  id,
  tenantId: id,
  name: normalizedDomain,
  verified: z.boolean(),
  inboundEnabled: z.boolean(),
  /**
   * What port 25 does with mail to this domain that fails its sender's DMARC `p=reject` policy: refuse it (550
   * 5.7.1) or only mark it (Authentication-Results dmarc=fail) for the customer's own filter. Absent (a snapshot of
   * the previous release): enforce, a compatible addition without a schema version bump.
   */
  inboundDmarc: z.enum(['enforce', 'mark']).default('enforce'),
});

export const credentialPolicySchema = z.object({
  id,
  tenantId: id,
  username: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
  secretDigest: z.string().refine(isSecretDigest, 'must be a lowercase hex SHA-256 digest'),
  status: z.enum(['active', 'disabled']),
  /** null: every domain of the tenant. */
  allowedDomainIds: z.array(id).nullable(),
  /** null: any address in the allowed domains. */
  allowedSenders: z.array(normalizedAddress).nullable(),
  /** Empty: any client address. Entries narrow AUTH to these networks; they never replace it. */
  ipAllowlist: z.array(z.string().refine(isIpRange, 'must be an IPv4/IPv6 address or CIDR block')),
  ratePerMinute: count.nullable(),
});

const routePattern = z
  .string()
  .max(64)
  .refine((value) => value === '*' || (checkLocalPart(value) === null && value === value.toLowerCase()), {
    message: "must be '*' or a lowercase local part",
  });

// A forward target is a host name or an IP address (tests route to loopback servers). Whether a tenant may
// target private networks is the API's rule, not the contract's.
const routeHost = z
  .string()
  .max(255)
  .refine((value) => isIpRange(value) || parseDomain(value).ok, 'must be a host name or an IP address');

/**
 * TLS towards a route's server, after Postfix's smtp_tls_security_level:
 * - `require_verified` (Postfix `verify`): STARTTLS required and the certificate must chain to a trusted CA and
 *   name the route host; otherwise the mail waits (4.7.5). Protects against an active attacker on the path.
 * - `require_unverified` (Postfix `encrypt`): STARTTLS required, any certificate (self-signed servers). Stops
 *   eavesdropping, not an attacker who can intercept the connection.
 * - `opportunistic` (Postfix `may`): STARTTLS when offered, plain text otherwise.
 */
export const ROUTE_TLS_MODES = ['require_verified', 'require_unverified', 'opportunistic'] as const;
export type RouteTlsMode = (typeof ROUTE_TLS_MODES)[number];
export const routeTlsModeSchema = z.enum(ROUTE_TLS_MODES);

const inboundRouteBase = { id, tenantId: id, domainId: id, pattern: routePattern, tlsMode: routeTlsModeSchema };

export const inboundRoutePolicySchema = z.discriminatedUnion('action', [
  z.object({
    ...inboundRouteBase,
    action: z.literal('forward'),
    host: routeHost,
    port: z.number().int().min(1).max(65535),
  }),
  z.object({ ...inboundRouteBase, action: z.literal('reject'), host: z.null(), port: z.null() }),
]);

export const suppressionPolicySchema = z.object({ id, tenantId: id, address: normalizedAddress });

export const policySnapshotSchema = z.object({
  schemaVersion: z.literal(POLICY_SCHEMA_VERSION),
  version: count,
  generatedAt: z.iso.datetime({ offset: true }),
  tenants: z.array(tenantPolicySchema),
  domains: z.array(domainPolicySchema),
  credentials: z.array(credentialPolicySchema),
  inboundRoutes: z.array(inboundRoutePolicySchema),
  suppressions: z.array(suppressionPolicySchema),
});

function changeSchema<K extends string, V extends z.ZodType>(kind: K, value: V) {
  return z.discriminatedUnion('op', [
    z.object({ kind: z.literal(kind), op: z.literal('upsert'), value }),
    z.object({ kind: z.literal(kind), op: z.literal('delete'), id }),
  ]);
}

export const policyChangeSchema = z.discriminatedUnion('kind', [
  changeSchema('tenant', tenantPolicySchema),
  changeSchema('domain', domainPolicySchema),
  changeSchema('credential', credentialPolicySchema),
  changeSchema('inboundRoute', inboundRoutePolicySchema),
  changeSchema('suppression', suppressionPolicySchema),
]);

export const policyDeltaSchema = z
  .object({
    schemaVersion: z.literal(POLICY_SCHEMA_VERSION),
    fromVersion: count,
    toVersion: count,
    generatedAt: z.iso.datetime({ offset: true }),
    changes: z.array(policyChangeSchema),
  })
  .refine((delta) => delta.toVersion > delta.fromVersion, {
    message: 'toVersion must be greater than fromVersion',
    path: ['toVersion'],
  });

export type TenantLimits = z.infer<typeof tenantLimitsSchema>;
export type InboundLimits = z.infer<typeof inboundLimitsSchema>;
export type TenantPolicy = z.infer<typeof tenantPolicySchema>;
export type TenantStatus = TenantPolicy['status'];
export type DomainPolicy = z.infer<typeof domainPolicySchema>;
export type CredentialPolicy = z.infer<typeof credentialPolicySchema>;
export type InboundRoutePolicy = z.infer<typeof inboundRoutePolicySchema>;
export type SuppressionPolicy = z.infer<typeof suppressionPolicySchema>;
export type PolicySnapshot = z.infer<typeof policySnapshotSchema>;
export type PolicyChange = z.infer<typeof policyChangeSchema>;
export type PolicyDelta = z.infer<typeof policyDeltaSchema>;

/** The entity type behind each change kind. */
export interface PolicyEntities {
  tenant: TenantPolicy;
  domain: DomainPolicy;
  credential: CredentialPolicy;
  inboundRoute: InboundRoutePolicy;
  suppression: SuppressionPolicy;
}
export type PolicyEntityKind = keyof PolicyEntities;

export function upsertChange<K extends PolicyEntityKind>(kind: K, value: PolicyEntities[K]): PolicyChange {
  return { kind, op: 'upsert', value } as PolicyChange;
}

export function deleteChange(kind: PolicyEntityKind, entityId: string): PolicyChange {
  return { kind, op: 'delete', id: entityId };
}

export class PolicyContractError extends Error {
  constructor(readonly issues: string[]) {
    super(`Policy does not match schema version ${POLICY_SCHEMA_VERSION}: ${issues.slice(0, 5).join('; ')}`);
    this.name = 'PolicyContractError';
  }
}

/** Validates untrusted input (a pulled or on-disk snapshot). Throws PolicyContractError naming the fields. */
export function parsePolicySnapshot(input: unknown): PolicySnapshot {
  return parseWith(policySnapshotSchema, input);
}

export function parsePolicyDelta(input: unknown): PolicyDelta {
  return parseWith(policyDeltaSchema, input);
}

function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new PolicyContractError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
}

/**
 * How many credential uses one heartbeat carries at most (relay → API): 500 of the longest (IPv6) stay well inside
 * the API's 100 kB body limit. A node with more sends the rest, oldest first, with the next beats; the API refuses
 * a longer list with a 400 naming the field.
 */
export const MAX_CREDENTIAL_USES_PER_HEARTBEAT = 500;
