import { Inject, Injectable } from '@nestjs/common';
import type { Prisma, PrismaClient } from '@smarthost/db';
import { audit } from '../audit/audit';
import type { TenantContext } from '../auth/principal';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { AppError } from '../core/app-error';
import { PRISMA } from '../core/tokens';
import { dkimRecord } from '../domains/dns-records';
import { recordPolicyChange } from '../policy/policy-changes';
import { type DkimKeyring, dkimKeyring } from './dkim-crypto';
import { dkimHost, dkimKeyRow, generateDkimKey } from './dkim-keys';

/**
 * Key rotation that never leaves mail unsigned or unverifiable: a new key is published as `pending` next to the
 * active one, becomes active only once DNS serves it, and the old key stays published (`retiring`) for mail already
 * signed with it; it is withdrawn at the next activation.
 */
@Injectable()
export class DkimService {
  private readonly keyring: DkimKeyring;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(API_CONFIG) config: ApiConfig,
  ) {
    this.keyring = dkimKeyring(config);
  }

  async rotate(tenant: TenantContext, domainId: string): Promise<void> {
    const domain = await this.prisma.domain.findFirst({
      where: { id: domainId, tenantId: tenant.tenantId },
      include: { dkimKeys: { select: { status: true } } },
    });
    if (!domain) throw AppError.notFound('domain');
    const statuses = domain.dkimKeys.map((key) => key.status);
    if (!statuses.includes('active')) throw new AppError('precondition_failed', 'the domain has no active DKIM key yet: verify it first');
    if (statuses.includes('pending')) throw new AppError('conflict', 'a new DKIM key is already waiting to be published and activated');
    const key = await generateDkimKey();
    await this.prisma.$transaction(async (tx) => {
      const row = await tx.dkimKey.create({ data: dkimKeyRow(this.keyring, key, { tenantId: tenant.tenantId, domainId }), select: { id: true } });
      await tx.domainDnsRecord.create({ data: { ...dkimRecord(domain.name, key), domainId } });
      await recordPolicyChange(tx, { tenantId: tenant.tenantId, entity: 'domain', entityId: domainId, op: 'upsert' });
      await audit(tx, tenant, 'dkim.rotated', { type: 'dkimKey', id: row.id }, { domainId, selector: key.selector });
    });
  }

  async activate(tenant: TenantContext, domainId: string, keyId: string): Promise<void> {
    const key = await this.prisma.dkimKey.findFirst({
      where: { id: keyId, domainId, tenantId: tenant.tenantId },
      select: { id: true, selector: true, status: true, verifiedAt: true, domain: { select: { name: true } } },
    });
    if (!key) throw AppError.notFound('DKIM key');
    if (key.status === 'active') return;
    if (key.status !== 'pending') throw new AppError('conflict', `a ${key.status} key cannot be activated again; rotate instead`);
    const host = dkimHost(key.selector, key.domain.name);
    const record = await this.prisma.domainDnsRecord.findFirst({ where: { domainId, kind: 'dkim', host }, select: { status: true } });
    if (!key.verifiedAt || record?.status !== 'ok') {
      throw new AppError('precondition_failed', `publish ${host} and verify the domain before activating this key`);
    }
    await this.prisma.$transaction((tx) => this.swap(tx, tenant, domainId, key.id));
  }

  private async swap(tx: Prisma.TransactionClient, tenant: TenantContext, domainId: string, keyId: string): Promise<void> {
    const now = new Date();
    const retired = await tx.dkimKey.findMany({ where: { domainId, status: 'retiring' }, select: { selector: true } });
    await tx.dkimKey.updateMany({ where: { domainId, status: 'retiring' }, data: { status: 'retired', retiredAt: now } });
    await tx.domainDnsRecord.deleteMany({ where: { domainId, kind: 'dkim', host: { in: await this.hosts(tx, domainId, retired) } } });
    await tx.dkimKey.updateMany({ where: { domainId, status: 'active' }, data: { status: 'retiring' } });
    // Guarded by status: a concurrent activation of the same key changes nothing twice.
    const activated = await tx.dkimKey.updateMany({ where: { id: keyId, domainId, status: 'pending' }, data: { status: 'active', activatedAt: now } });
    if (activated.count === 0) throw new AppError('conflict', 'the key changed while it was being activated; try again');
    await recordPolicyChange(tx, { tenantId: tenant.tenantId, entity: 'domain', entityId: domainId, op: 'upsert' });
    await audit(tx, tenant, 'dkim.activated', { type: 'dkimKey', id: keyId }, { domainId });
  }

  private async hosts(tx: Prisma.TransactionClient, domainId: string, keys: { selector: string }[]): Promise<string[]> {
    const domain = await tx.domain.findUniqueOrThrow({ where: { id: domainId }, select: { name: true } });
    return keys.map((key) => dkimHost(key.selector, domain.name));
  }
}
