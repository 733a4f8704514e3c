import { Controller, Get, Patch } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequirePermission, Tenant, UserRoute, type UserPrincipal } from '../auth/decorators';
import type { TenantContext } from '../auth/principal';
import { ZodBody, ZodResponse } from '../core/zod-validation';
import { myTenantsResponse, tenantResponse, type UpdateTenantBody, updateTenantBody } from './tenants.dto';
import { TenantsService } from './tenants.service';

@ApiTags('tenants')
@Controller()
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  /** The tenants the logged-in user belongs to, with their role in each. */
  @Get('tenants')
  @UserRoute()
  @ZodResponse(200, myTenantsResponse)
  async mine(@CurrentUser() user: UserPrincipal) {
    return { items: await this.tenants.listForUser(user.userId) };
  }

  /** The current tenant: profile, status, plan, effective limits and usage so far. */
  @Get('tenant')
  @RequirePermission('tenant:read')
  @ZodResponse(200, tenantResponse)
  current(@Tenant() tenant: TenantContext) {
    return this.tenants.current(tenant);
  }

  @Patch('tenant')
  @RequirePermission('tenant:write')
  @ZodResponse(200, tenantResponse)
  update(@Tenant() tenant: TenantContext, @ZodBody(updateTenantBody) body: UpdateTenantBody) {
    return this.tenants.update(tenant, body);
  }
}
