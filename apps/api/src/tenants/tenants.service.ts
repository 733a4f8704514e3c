import { Inject, Injectable } from '@nestjs/common';
import type { Prisma, PrismaClient, UsagePeriod } from '@smarthost/db';
import { audit } from '../audit/audit';
import type { TenantContext } from '../auth/principal';
import { AppError } from '../core/app-error';
import { PRISMA } from '../core/tokens';
import { recordPolicyChange } from '../policy/policy-changes';
import { effectiveLimits, limitOverrides, planLimits } from './limits';
import { firstFreeSlug, slugify } from './slug';
import type { MyTenant, TenantResponse, UpdateTenantBody } from './tenants.dto';

@Injectable()
export class TenantsService {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  /** A slug not yet taken; a concurrent sign-up can still take it first, which the caller retries. */
  async freeSlug(name: string): Promise<string> {
    const base = slugify(name);
    const rows = await this.prisma.tenant.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } });
    return firstFreeSlug(base, new Set(rows.map((row) => row.slug)));
  }

  /** A new tenant on the default plan with its first owner; relay nodes learn of it through the policy log. */
  async createWithOwner(tx: Prisma.TransactionClient, name: string, slug: string, userId: string) {
    const tenant = await tx.tenant.create({ data: { name, slug } });
    await tx.membership.create({ data: { tenantId: tenant.id, userId, role: 'owner' } });
    await recordPolicyChange(tx, { tenantId: tenant.id, entity: 'tenant', entityId: tenant.id, op: 'upsert' });
    return tenant;
  }

  async listForUser(userId: string): Promise<MyTenant[]> {
    const memberships = await this.prisma.membership.findMany({
      where: { userId },
      include: { tenant: { select: { id: true, name: true, slug: true, status: true } } },
      orderBy: { createdAt: 'asc' },
    });
    return memberships.map(({ tenant, role }) => ({ ...tenant, role }));
  }

  async current(context: TenantContext): Promise<TenantResponse> {
    const tenant = await this.prisma.tenant.findUnique({ where: { id: context.tenantId }, include: { plan: true } });
    if (!tenant) throw AppError.notFound('tenant');
    const today = utcDay(new Date());
    const month = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1));
    const [todayUsage, monthUsage] = await Promise.all([
      this.usage(context.tenantId, 'day', today),
      this.usage(context.tenantId, 'month', month),
    ]);
    return {
      id: tenant.id,
      name: tenant.name,
      slug: tenant.slug,
      status: tenant.status,
      statusReason: tenant.statusReason,
      bounceNotices: tenant.bounceNotices,
      role: context.role,
      plan: { id: tenant.plan.id, name: tenant.plan.name, priceCents: tenant.plan.priceCents },
      limits: effectiveLimits(planLimits(tenant.plan), tenant),
      overrides: limitOverrides(tenant),
      usage: { today: todayUsage, month: monthUsage },
      createdAt: tenant.createdAt.toISOString(),
    };
  }

  /**
   * Name and bounce notices. The name is not relay policy; bounce notices are (the relay stamps the setting on every
   * job it queues), so a body that sets them records a policy version, as the last write of the transaction (an
   * unchanged value costs relay nodes one small delta, and saves a read here).
   */
  async update(context: TenantContext, body: UpdateTenantBody): Promise<TenantResponse> {
    await this.prisma.$transaction(async (tx) => {
      await tx.tenant.update({ where: { id: context.tenantId }, data: body });
      await audit(tx, context, 'tenant.updated', { type: 'tenant', id: context.tenantId }, { changed: Object.keys(body) });
      if (body.bounceNotices !== undefined) await recordPolicyChange(tx, { tenantId: context.tenantId, entity: 'tenant', entityId: context.tenantId, op: 'upsert' });
    });
    return this.current(context);
  }

  private async usage(tenantId: string, period: UsagePeriod, periodStart: Date) {
    const row = await this.prisma.usageCounter.findUnique({
      where: { tenantId_period_periodStart: { tenantId, period, periodStart } },
    });
    return {
      periodStart: periodStart.toISOString().slice(0, 10),
      messages: row?.messages ?? 0,
      recipients: row?.recipients ?? 0,
    };
  }
}

function utcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}
