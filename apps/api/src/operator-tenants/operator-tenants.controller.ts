import { Controller, Get, Inject, Patch } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { PrismaClient } from '@smarthost/db';
import { AppError } from '../core/app-error';
import { PRISMA } from '../core/tokens';
import { uuidParam, ZodBody, ZodParam, ZodQuery, ZodResponse } from '../core/zod-validation';
import { OperatorRoute } from '../relay-nodes/operator.guard';
import { updateTenantPolicy } from '../tenants/tenant-policy';
import { listTenants } from './list-tenants';
import {
  listTenantsQuery,
  type ListTenantsQuery,
  operatorTenantPage,
  operatorTenantView,
  tenantPolicyBody,
  type TenantPolicyBody,
} from './operator-tenants.schemas';

/**
 * Operators suspend, pause or reactivate a tenant (abuse, unpaid invoices, a compromised credential) and change its plan
 * or limits. Relay nodes enforce the change with their next policy pull, about a second later.
 */
@ApiTags('operator')
@OperatorRoute()
@Controller('operator/tenants')
export class OperatorTenantsController {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  @Get()
  @ZodResponse(200, operatorTenantPage)
  list(@ZodQuery(listTenantsQuery) query: ListTenantsQuery) {
    return listTenants(this.prisma, query);
  }

  @Patch(':id')
  @ZodResponse(200, operatorTenantView)
  async update(@ZodParam('id', uuidParam) id: string, @ZodBody(tenantPolicyBody) body: TenantPolicyBody) {
    if (body.planId && !(await this.prisma.plan.findUnique({ where: { id: body.planId } }))) {
      throw AppError.invalid('body.planId', `no plan "${body.planId}"`);
    }
    return this.prisma.$transaction(async (tx) => {
      const before = await tx.tenant.findUnique({ where: { id }, select: { status: true, planId: true } });
      if (!before) throw AppError.notFound('tenant');
      const tenant = await updateTenantPolicy(tx, id, body);
      const action = body.planId && body.planId !== before.planId ? 'plan.changed' : body.status ? 'tenant.status_changed' : 'tenant.updated';
      await tx.auditLog.create({
        data: { tenantId: id, action, targetType: 'tenant', targetId: id, metadata: { by: 'operator', ...body } },
      });
      return { id: tenant.id, name: tenant.name, status: tenant.status, statusReason: tenant.statusReason, planId: tenant.planId };
    });
  }
}
