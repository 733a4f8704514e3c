import { randomUUID } from 'node:crypto';
import { newMessageId } from '@smarthost/queues';
import { createTenantFixture } from '../test/fixtures';
import { signUp } from '../test/session-client';
import type { TestApp } from '../test/test-app';

/** One object of every tenant-owned kind, owned by a tenant the caller is not a member of. Keyed by URL segment. */
export type ForeignIds = Record<string, string>;

interface Created {
  id: string;
  name: string;
}

function created(result: { status: number; body: unknown }, what: string): Created {
  if (result.status >= 300) throw new Error(`fixture ${what}: ${result.status} ${JSON.stringify(result.body)}`);
  return result.body as Created;
}

/**
 * Builds tenant B through its own API as a customer would, with a few rows written directly where the real path
 * needs the outside world (DNS verification, a relayed message).
 */
export async function buildOtherTenant(app: TestApp): Promise<{ tenantId: string; ids: ForeignIds }> {
  const owner = await signUp(app, { tenantName: 'Other Tenant' });
  const call = owner.call;
  const domain = created(await call('POST', '/v1/domains', { name: `other-${randomUUID().slice(0, 6)}.example` }), 'domain');
  await app.prisma.domain.update({ where: { id: domain.id }, data: { status: 'verified', verifiedName: domain.name, verifiedAt: new Date() } });
  const key = await app.prisma.dkimKey.findFirstOrThrow({ where: { domainId: domain.id } });
  const credential = created(await call('POST', '/v1/credentials', { name: 'other' }), 'credential');
  const route = await created(
    await call('POST', '/v1/inbound-routes', { domainId: domain.id, pattern: '*', host: 'mx.other.example', port: 25 }),
    'inbound route',
  );
  const suppression = created(await call('POST', '/v1/suppressions', { address: 'gone@elsewhere.example' }), 'suppression');
  const apiKey = created(await call('POST', '/v1/api-keys', { name: 'other', role: 'developer' }), 'api key');
  const invitation = created(await call('POST', '/v1/invitations', { email: 'invitee@other.example', role: 'viewer' }), 'invitation');
  const member = await createTenantFixture(app.prisma);
  const membership = await app.prisma.membership.create({ data: { tenantId: owner.tenantId, userId: member.userId, role: 'developer' } });
  const message = await app.prisma.message.create({
    data: {
      id: newMessageId(),
      tenantId: owner.tenantId,
      domainId: domain.id,
      mailFrom: `app@${domain.name}`,
      sizeBytes: 1000,
      recipientCount: 1,
      acceptedAt: new Date(),
    },
  });
  return {
    tenantId: owner.tenantId,
    ids: {
      domains: domain.id,
      dkim: key.id,
      credentials: credential.id,
      'inbound-routes': route.id,
      suppressions: suppression.id,
      'api-keys': apiKey.id,
      invitations: invitation.id,
      members: membership.id,
      messages: message.id,
    },
  };
}
