import type {
  CredentialPolicy,
  DomainPolicy,
  InboundRoutePolicy,
  PolicySnapshot,
  SuppressionPolicy,
  TenantPolicy,
} from '../contract';
import { secretDigest } from '../secrets';

/** A small but complete policy used by the decision tests. The password of every credential is `pw-<username>`. */
export const OWN_HOSTNAMES = ['relay.smarthost.test', 'mx1.smarthost.test'];

const limits = {
  messagesPerDay: 1000,
  messagesPerMonth: 20000,
  messagesPerMinute: 60,
  recipientsPerMessage: 3,
  maxMessageBytes: 1_000_000,
};

const inboundLimits = { messagesPerDay: 100, bytesPerDay: 10_000_000, backlogBytes: 5_000_000 };

function tenant(id: string, status: TenantPolicy['status'] = 'active', statusReason: string | null = null): TenantPolicy {
  return { id, status, statusReason, limits: { ...limits }, inboundLimits: { ...inboundLimits }, bounceNotices: false };
}

function domain(id: string, tenantId: string, name: string, verified = true, inboundEnabled = true): DomainPolicy {
  return { id, tenantId, name, verified, inboundEnabled, inboundDmarc: 'enforce' };
}

export function credential(
  id: string,
  tenantId: string,
  overrides: Partial<CredentialPolicy> = {},
): CredentialPolicy {
  const username = overrides.username ?? `user-${id}`;
  return {
    id,
    tenantId,
    username,
    secretDigest: secretDigest(`pw-${username}`),
    status: 'active',
    allowedDomainIds: null,
    allowedSenders: null,
    ipAllowlist: [],
    ratePerMinute: null,
    ...overrides,
  };
}

function forward(id: string, tenantId: string, domainId: string, pattern: string, port: number): InboundRoutePolicy {
  return { id, tenantId, domainId, pattern, action: 'forward', host: '127.0.0.1', port, tlsMode: 'opportunistic' };
}

function reject(id: string, tenantId: string, domainId: string, pattern: string): InboundRoutePolicy {
  return { id, tenantId, domainId, pattern, action: 'reject', host: null, port: null, tlsMode: 'opportunistic' };
}

const suppression = (id: string, tenantId: string, address: string): SuppressionPolicy => ({ id, tenantId, address });

export function fixtureSnapshot(): PolicySnapshot {
  return {
    schemaVersion: 2,
    version: 10,
    generatedAt: '2025-01-01T00:00:00.000Z',
    tenants: [
      tenant('acme'),
      tenant('globex'),
      tenant('paused', 'paused', 'bounce rate above 5%'),
      tenant('suspended', 'suspended', 'payment failed\r\n250 OK injected'),
    ],
    domains: [
      domain('d-acme', 'acme', 'acme.example'),
      domain('d-news', 'acme', 'news.acme.example', true, false),
      domain('d-unverified', 'acme', 'unverified.example', false, true),
      domain('d-ours', 'acme', 'ours.com'),
      domain('d-idn', 'acme', 'xn--bcher-kva.example'),
      domain('d-no-inbound', 'acme', 'outbound-only.example', true, false),
      domain('d-globex', 'globex', 'globex.example'),
      domain('d-globex-claims-acme', 'globex', 'acme.example', false, true),
      domain('d-contested-1', 'acme', 'contested.example'),
      domain('d-contested-2', 'globex', 'contested.example'),
      domain('d-paused', 'paused', 'paused.example'),
      domain('d-suspended', 'suspended', 'suspended.example'),
    ],
    credentials: [
      credential('c-all', 'acme'),
      credential('c-news', 'acme', { allowedDomainIds: ['d-news'] }),
      credential('c-senders', 'acme', { allowedSenders: ['billing@acme.example'] }),
      credential('c-both', 'acme', { allowedDomainIds: ['d-acme'], allowedSenders: ['billing@acme.example', 'x@news.acme.example'] }),
      credential('c-disabled', 'acme', { status: 'disabled' }),
      credential('c-ip', 'acme', { ipAllowlist: ['192.0.2.0/24', '2001:db8::/32'] }),
      credential('c-globex', 'globex'),
      credential('c-paused', 'paused'),
      credential('c-suspended', 'suspended'),
      credential('c-orphan', 'no-such-tenant'),
    ],
    inboundRoutes: [
      forward('r-sales', 'acme', 'd-ours', 'sales', 2525),
      reject('r-blocked', 'acme', 'd-ours', 'blocked'),
      forward('r-ours-all', 'acme', 'd-ours', '*', 2526),
      forward('r-info', 'acme', 'd-acme', 'info', 2527),
      forward('r-idn', 'acme', 'd-idn', '*', 2528),
      forward('r-no-inbound', 'acme', 'd-no-inbound', '*', 2529),
      forward('r-unverified', 'acme', 'd-unverified', '*', 2530),
      forward('r-contested', 'acme', 'd-contested-1', '*', 2531),
      forward('r-paused', 'paused', 'd-paused', '*', 2532),
      forward('r-suspended', 'suspended', 'd-suspended', '*', 2533),
      forward('r-foreign', 'globex', 'd-acme', 'steal', 2534),
    ],
    suppressions: [suppression('s-1', 'acme', 'bounced@remote.example')],
  };
}
