import {
  POLICY_SCHEMA_VERSION,
  secretDigest,
  type CredentialPolicy,
  type DomainPolicy,
  type InboundRoutePolicy,
  type PolicySnapshot,
  type TenantPolicy,
} from '@smarthost/relay-policy';

/** Passwords are generated secrets in production; these stand in for them. */
export const PASSWORDS = {
  acme: 'acme-secret-0123456789abcdef0123',
  acmeNarrow: 'acme-narrow-secret-0123456789abc',
  globex: 'globex-secret-0123456789abcdef01',
} as const;

export function tenant(
  id: string,
  overrides: Partial<TenantPolicy> = {},
  limits: Partial<TenantPolicy['limits']> = {},
  inboundLimits: Partial<TenantPolicy['inboundLimits']> = {},
): TenantPolicy {
  return {
    id,
    status: 'active',
    statusReason: null,
    limits: {
      messagesPerDay: 10_000,
      messagesPerMonth: 100_000,
      messagesPerMinute: 1_000,
      recipientsPerMessage: 50,
      maxMessageBytes: 1_000_000,
      ...limits,
    },
    inboundLimits: { messagesPerDay: 10_000, bytesPerDay: 100_000_000, backlogBytes: 50_000_000, ...inboundLimits },
    bounceNotices: false,
    ...overrides,
  };
}

export function domain(id: string, tenantId: string, name: string, overrides: Partial<DomainPolicy> = {}): DomainPolicy {
  return { id, tenantId, name, verified: true, inboundEnabled: false, inboundDmarc: 'enforce', ...overrides };
}

export function credential(id: string, tenantId: string, username: string, password: string, overrides: Partial<CredentialPolicy> = {}): CredentialPolicy {
  return {
    id,
    tenantId,
    username,
    secretDigest: secretDigest(password),
    status: 'active',
    allowedDomainIds: null,
    allowedSenders: null,
    ipAllowlist: [],
    ratePerMinute: null,
    ...overrides,
  };
}

export function forwardRoute(id: string, tenantId: string, domainId: string, pattern: string, port: number): InboundRoutePolicy {
  return { id, tenantId, domainId, pattern, action: 'forward', host: '127.0.0.1', port, tlsMode: 'opportunistic' };
}

/**
 * Two tenants: acme (acme.test verified with inbound, unverified.acme.test not verified) and globex
 * (globex.test). acme-narrow may only send as billing@acme.test.
 */
export function baseSnapshot(overrides: Partial<PolicySnapshot> = {}): PolicySnapshot {
  return {
    schemaVersion: POLICY_SCHEMA_VERSION,
    version: 1,
    generatedAt: new Date().toISOString(),
    tenants: [tenant('t-acme'), tenant('t-globex')],
    domains: [
      domain('d-acme', 't-acme', 'acme.test', { inboundEnabled: true }),
      domain('d-acme-unverified', 't-acme', 'unverified.acme.test', { verified: false }),
      domain('d-globex', 't-globex', 'globex.test', { inboundEnabled: true }),
    ],
    credentials: [
      credential('c-acme', 't-acme', 'acme-app', PASSWORDS.acme),
      credential('c-acme-narrow', 't-acme', 'acme-narrow', PASSWORDS.acmeNarrow, { allowedSenders: ['billing@acme.test'] }),
      credential('c-globex', 't-globex', 'globex-app', PASSWORDS.globex),
    ],
    inboundRoutes: [forwardRoute('r-acme-support', 't-acme', 'd-acme', 'support', 10025)],
    suppressions: [{ id: 's-1', tenantId: 't-acme', address: 'bounced@example.org' }],
    ...overrides,
  };
}
