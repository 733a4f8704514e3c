import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { z } from 'zod';
import type { PrismaClient } from '@smarthost/db';
import type { DnsResolver } from '@smarthost/dns';
import { audit } from '../audit/audit';
import type { TenantContext } from '../auth/principal';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { AppError } from '../core/app-error';
import { type Page, type PageQuery, pageArgs, toPage } from '../core/pagination';
import { PRISMA } from '../core/tokens';
import { type DkimKeyring, dkimKeyring } from '../dkim/dkim-crypto';
import { dkimKeyRow, generateDkimKey } from '../dkim/dkim-keys';
import { recordPolicyChange, recordPolicyChanges, type PolicyEntity } from '../policy/policy-changes';
import { baseRecords, dkimRecord } from './dns-records';
import { DNS_RESOLVER } from './dns-resolver.provider';
import { tenantAuditor } from './domain-auditor';
import type { DomainSummary, DomainView, updateDomainBody } from './domain-schemas';
import { DOMAIN_DETAIL_INCLUDE, toSummary, toView } from './domain-view';
import { verifyDomain } from './verify-domain';

type DomainChange = z.infer<typeof updateDomainBody>;

// 128 bits: the token is public once published, but must not be guessable before, or a squatter could pre-publish it.
const TOKEN_BYTES = 16;

@Injectable()
export class DomainsService {
  private readonly keyring: DkimKeyring;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(DNS_RESOLVER) private readonly resolver: DnsResolver,
  ) {
    this.keyring = dkimKeyring(config);
  }

  async create(tenant: TenantContext, name: string): Promise<DomainView> {
    const claimed = await this.prisma.domain.findUnique({ where: { verifiedName: name }, select: { tenantId: true } });
    if (claimed && claimed.tenantId !== tenant.tenantId) throw new AppError('conflict', 'this domain is already verified by another tenant');
    const key = await generateDkimKey();
    const id = await this.prisma.$transaction(async (tx) => {
      const domain = await tx.domain.create({
        data: { tenantId: tenant.tenantId, name, verificationToken: randomBytes(TOKEN_BYTES).toString('hex') },
      });
      const owner = { tenantId: tenant.tenantId, domainId: domain.id };
      await tx.dkimKey.create({ data: dkimKeyRow(this.keyring, key, owner), select: { id: true } });
      const records = [...baseRecords(domain, this.config.RELAY_HOSTNAME), dkimRecord(name, key)];
      await tx.domainDnsRecord.createMany({ data: records.map((record) => ({ ...record, domainId: domain.id })) });
      await recordPolicyChange(tx, { tenantId: tenant.tenantId, entity: 'domain', entityId: domain.id, op: 'upsert' });
      await audit(tx, tenant, 'domain.added', { type: 'domain', id: domain.id }, { name });
      return domain.id;
    });
    return this.get(tenant, id);
  }

  async list(tenant: TenantContext, query: PageQuery): Promise<Page<DomainSummary>> {
    const rows = await this.prisma.domain.findMany(pageArgs(query, { tenantId: tenant.tenantId }));
    const page = toPage(rows, query);
    return { items: page.items.map(toSummary), nextCursor: page.nextCursor };
  }

  async get(tenant: TenantContext, id: string): Promise<DomainView> {
    const domain = await this.prisma.domain.findFirst({ where: { id, tenantId: tenant.tenantId }, include: DOMAIN_DETAIL_INCLUDE });
    if (!domain) throw AppError.notFound('domain');
    return toView(domain);
  }

  /**
   * Postgres cascades the domain's inbound routes and its place in credential scopes; each of those is a change
   * relay nodes must see too (the routes go, the credentials lose the domain), or their index keeps them until
   * the next full snapshot.
   */
  async remove(tenant: TenantContext, id: string): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      // Locked first: a route or credential scope added concurrently either commits before this (and is read below)
      // or waits for the delete and fails on its foreign key; none is cascaded away without its change row.
      const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM domains WHERE id = ${id}::uuid AND "tenantId" = ${tenant.tenantId}::uuid FOR UPDATE`;
      if (locked.length === 0) throw AppError.notFound('domain');
      const routes = await tx.inboundRoute.findMany({ where: { domainId: id, tenantId: tenant.tenantId }, select: { id: true } });
      const scopes = await tx.smtpCredentialDomain.findMany({ where: { domainId: id }, select: { credentialId: true } });
      const deleted = await tx.domain.deleteMany({ where: { id, tenantId: tenant.tenantId } });
      if (deleted.count === 0) throw AppError.notFound('domain');
      await audit(tx, tenant, 'domain.removed', { type: 'domain', id });
      const change = (entity: PolicyEntity, entityId: string, op: 'upsert' | 'delete') => ({ tenantId: tenant.tenantId, entity, entityId, op });
      await recordPolicyChanges(tx, [
        change('domain', id, 'delete'),
        ...routes.map((route) => change('inboundRoute', route.id, 'delete')),
        ...scopes.map((scope) => change('credential', scope.credentialId, 'upsert')),
      ]);
    });
  }

  /** Inbound on: the MX record becomes required and part of the zone to publish. */
  async update(tenant: TenantContext, id: string, change: DomainChange): Promise<DomainView> {
    await this.prisma.$transaction(async (tx) => {
      const current = await tx.domain.findFirst({ where: { id, tenantId: tenant.tenantId }, select: { inboundEnabled: true, inboundDmarc: true } });
      if (!current) throw AppError.notFound('domain');
      const next = { inboundEnabled: change.inboundEnabled ?? current.inboundEnabled, inboundDmarc: change.inboundDmarc ?? current.inboundDmarc };
      if (next.inboundEnabled === current.inboundEnabled && next.inboundDmarc === current.inboundDmarc) return;
      await tx.domain.update({ where: { id }, data: next });
      await tx.domainDnsRecord.updateMany({ where: { domainId: id, kind: 'mx' }, data: { required: next.inboundEnabled } });
      await recordPolicyChange(tx, { tenantId: tenant.tenantId, entity: 'domain', entityId: id, op: 'upsert' });
      await audit(tx, tenant, 'domain.updated', { type: 'domain', id }, next);
    });
    return this.get(tenant, id);
  }

  async verify(tenant: TenantContext, id: string): Promise<DomainView> {
    await this.requireDomain(tenant, id);
    await verifyDomain(this.prisma, this.resolver, id, tenantAuditor(tenant));
    return this.get(tenant, id);
  }

  private async requireDomain(tenant: TenantContext, id: string): Promise<void> {
    const found = await this.prisma.domain.findFirst({ where: { id, tenantId: tenant.tenantId }, select: { id: true } });
    if (!found) throw AppError.notFound('domain');
  }
}
