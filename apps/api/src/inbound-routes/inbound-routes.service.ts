import { Inject, Injectable } from '@nestjs/common';
import type { Prisma, PrismaClient } from '@smarthost/db';
import { audit, type AuditAction } from '../audit/audit';
import type { TenantContext } from '../auth/principal';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { AppError } from '../core/app-error';
import { type Page, pageArgs, toPage } from '../core/pagination';
import { PRISMA } from '../core/tokens';
import { recordPolicyChange } from '../policy/policy-changes';
import type { ForwardHostRules } from './forward-host';
import type { CreateRouteBody, ListRoutesQuery, RouteView, UpdateRouteBody } from './inbound-route-schemas';
import { RelayLoopCheck } from './relay-loop';
import { checkRouteTarget, type RouteTarget } from './route-target';

const VIEW = {
  id: true,
  domainId: true,
  pattern: true,
  action: true,
  host: true,
  port: true,
  tlsMode: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.InboundRouteSelect;

@Injectable()
export class InboundRoutesService {
  private readonly hostRules: ForwardHostRules;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(API_CONFIG) config: ApiConfig,
    @Inject(RelayLoopCheck) private readonly loops: RelayLoopCheck,
  ) {
    this.hostRules = { relayHostname: config.RELAY_HOSTNAME, allowLoopback: config.NODE_ENV === 'test' };
  }

  async list(tenant: TenantContext, query: ListRoutesQuery): Promise<Page<RouteView>> {
    const where = { tenantId: tenant.tenantId, ...(query.domainId ? { domainId: query.domainId } : {}) };
    const rows = await this.prisma.inboundRoute.findMany({ ...pageArgs(query, where), select: VIEW });
    return toPage(rows, query);
  }

  async get(tenant: TenantContext, id: string): Promise<RouteView> {
    const row = await this.prisma.inboundRoute.findFirst({ where: { id, tenantId: tenant.tenantId }, select: VIEW });
    if (!row) throw AppError.notFound('inbound route');
    return row;
  }

  async create(tenant: TenantContext, body: CreateRouteBody): Promise<RouteView> {
    const target = await this.checkTarget({ ...body, host: body.host ?? null, port: body.port ?? null });
    return this.prisma.$transaction(async (tx) => {
      await this.assertVerifiedDomain(tx, tenant, body.domainId);
      const row = await tx.inboundRoute.create({
        data: { tenantId: tenant.tenantId, domainId: body.domainId, pattern: body.pattern, ...target },
        select: VIEW,
      });
      await this.written(tx, tenant, row.id, 'inboundRoute.created', { pattern: row.pattern, action: row.action });
      return row;
    });
  }

  async update(tenant: TenantContext, id: string, body: UpdateRouteBody): Promise<RouteView> {
    return this.prisma.$transaction(async (tx) => {
      const current = await tx.inboundRoute.findFirst({ where: { id, tenantId: tenant.tenantId }, select: VIEW });
      if (!current) throw AppError.notFound('inbound route');
      const action = body.action ?? current.action;
      // Turning a forward into a reject drops its target unless the request names one (which is then refused).
      const keep = action === current.action;
      const target = await this.checkTarget(
        {
          action,
          host: body.host === undefined ? (keep ? current.host : null) : body.host,
          port: body.port === undefined ? (keep ? current.port : null) : body.port,
          tlsMode: body.tlsMode ?? current.tlsMode,
        },
      );
      const row = await tx.inboundRoute.update({ where: { id }, data: { pattern: body.pattern, ...target }, select: VIEW });
      await this.written(tx, tenant, id, 'inboundRoute.updated', { fields: Object.keys(body) });
      return row;
    });
  }

  async remove(tenant: TenantContext, id: string): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const { count } = await tx.inboundRoute.deleteMany({ where: { id, tenantId: tenant.tenantId } });
      if (count === 0) throw AppError.notFound('inbound route');
      await this.written(tx, tenant, id, 'inboundRoute.deleted', {}, 'delete');
    });
  }

  private async checkTarget(target: RouteTarget): Promise<RouteTarget> {
    const checked = checkRouteTarget(target, this.hostRules);
    if (checked.host !== null) await this.loops.assertNotRelay(checked.host);
    return checked;
  }

  /** Only a verified domain can receive: routing an unverified one would let a tenant capture someone else's mail. */
  private async assertVerifiedDomain(tx: Prisma.TransactionClient, tenant: TenantContext, domainId: string) {
    const domain = await tx.domain.findFirst({ where: { id: domainId, tenantId: tenant.tenantId }, select: { status: true } });
    if (!domain) throw AppError.invalid('body.domainId', 'no such domain');
    if (domain.status !== 'verified') throw AppError.invalid('body.domainId', 'domain must be verified first');
  }

  private async written(
    tx: Prisma.TransactionClient,
    tenant: TenantContext,
    id: string,
    action: AuditAction,
    metadata: Prisma.InputJsonObject,
    op: 'upsert' | 'delete' = 'upsert',
  ): Promise<void> {
    await audit(tx, tenant, action, { type: 'inboundRoute', id }, metadata);
    await recordPolicyChange(tx, { tenantId: tenant.tenantId, entity: 'inboundRoute', entityId: id, op });
  }
}
