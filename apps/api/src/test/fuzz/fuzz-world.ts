import { randomBytes } from 'node:crypto';
import type { TestDnsServer } from '@smarthost/testkit';
import type { DomainView } from '../../domains/domain-schemas';
import { publish } from '../../domains/test/publish-records';
import { createTenantFixture, httpClient } from '../fixtures';
import { signUp, TEST_PASSWORD } from '../session-client';
import type { TestApp } from '../test-app';
import type { Hints } from './schema-values';

export type AuthKind = 'anonymous' | 'apiKey' | 'session' | 'user' | 'operator' | 'node';

export interface FuzzWorld {
  hints: Hints;
  /** The headers each kind of caller sends; `session` also names its tenant. */
  headers: Record<AuthKind, Record<string, string>>;
}

/**
 * What the fuzz test acts as and on: an API key's tenant and a dashboard user's tenant, each with real resources
 * (a verified domain with an active DKIM key, a pending one, a credential, a route, a suppression, a second API key,
 * an invitation, a second member), an operator and a relay node. The callers' own key and session are not among the
 * ids the fuzzer may target, so a generated DELETE cannot cut the branch it sits on.
 */
export async function buildFuzzWorld(app: TestApp, dns: TestDnsServer, operatorToken: string): Promise<FuzzWorld> {
  const keyTenant = await createTenantFixture(app.prisma);
  const asKey = httpClient(app.url, keyTenant.auth);
  const session = await signUp(app, { email: `fuzz-${randomBytes(4).toString('hex')}@example.test` });
  const node = await httpClient(app.url, { authorization: `Bearer ${operatorToken}` })('POST', '/v1/operator/relay-nodes', { name: 'fuzz-node' });

  const verified: DomainView = (await asKey('POST', '/v1/domains', { name: 'fuzz-verified.example' })).body;
  publish(dns, verified);
  await asKey('POST', `/v1/domains/${verified.id}/verify`);
  await asKey('PATCH', `/v1/domains/${verified.id}`, { inboundEnabled: true });
  const pending: DomainView = (await asKey('POST', '/v1/domains', { name: 'fuzz-pending.example' })).body;
  const created = await Promise.all([
    asKey('POST', '/v1/credentials', { name: 'victim' }),
    asKey('POST', '/v1/inbound-routes', { domainId: verified.id, pattern: '*', host: 'mx.fuzz-verified.example', port: 25 }),
    asKey('POST', '/v1/suppressions', { address: 'victim@example.com' }),
    asKey('POST', '/v1/api-keys', { name: 'victim', role: 'viewer' }),
    asKey('POST', '/v1/invitations', { email: 'invitee@example.test', role: 'viewer' }),
    session.call('POST', '/v1/domains', { name: 'fuzz-session.example' }),
  ]);
  const member = await app.prisma.user.create({ data: { email: 'member@example.test', name: 'Member', passwordHash: 'not-a-login' } });
  const membership = await app.prisma.membership.create({ data: { tenantId: keyTenant.tenantId, userId: member.id, role: 'developer' } });
  const [credential, route, suppression, apiKey, invitation, sessionDomain] = created.map((result) => String(result.body?.id));
  const domains = [verified.id, pending.id, sessionDomain!];
  const uuidsByKind: Record<string, string[]> = {
    domains,
    domainId: domains,
    keyId: verified.dkimKeys.map((key) => key.id),
    credentials: [credential!],
    'inbound-routes': [route!],
    suppressions: [suppression!],
    'api-keys': [apiKey!],
    members: [membership.id],
    invitations: [invitation!],
    tenants: [session.tenantId, keyTenant.tenantId],
  };

  const sessionHeaders = { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
  return {
    hints: {
      uuids: Object.values(uuidsByKind).flat(),
      uuidsByKind,
      byName: {
        email: session.email,
        address: 'someone@example.com',
        password: TEST_PASSWORD,
        currentPassword: 'not the current password',
        newPassword: 'another horse battery staple',
        name: 'fuzz',
        tenantName: 'fuzz tenant',
        pattern: 'postmaster',
        host: 'mx.example.com',
        planId: 'starter',
        domainId: verified.id,
        token: 'not-an-invitation-token',
        version: '1.0.0',
        publicIps: [],
        statusReason: 'fuzzing the API',
      },
    },
    headers: {
      anonymous: {},
      apiKey: keyTenant.auth,
      session: { ...sessionHeaders, 'x-tenant-id': session.tenantId },
      user: sessionHeaders,
      operator: { authorization: `Bearer ${operatorToken}` },
      node: { authorization: `Bearer ${node.body.token}` },
    },
  };
}
