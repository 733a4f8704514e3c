import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RequirePermission, Tenant } from '../auth/decorators';
import type { TenantContext } from '../auth/principal';
import { ZodResponse } from '../core/zod-validation';
import { tenantBlacklistView } from './blacklist-schemas';
import { BlacklistService } from './blacklist.service';

/** Whether the tenant's mail is at risk from a DNS blocklist: its verified domains and the shared relay IPs. */
@ApiTags('blacklist')
@Controller('blacklist')
export class BlacklistController {
  constructor(private readonly blacklist: BlacklistService) {}

  @Get()
  @RequirePermission('tenant:read')
  @ZodResponse(200, tenantBlacklistView)
  view(@Tenant() tenant: TenantContext) {
    return this.blacklist.tenantView(tenant);
  }
}
