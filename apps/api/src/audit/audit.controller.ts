import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RequirePermission, Tenant } from '../auth/decorators';
import type { TenantContext } from '../auth/principal';
import { ZodQuery, ZodResponse } from '../core/zod-validation';
import { auditPage, type AuditQuery, auditQuery } from './audit.dto';
import { AuditService } from './audit.service';

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** The tenant's audit log, newest first, optionally one action only. */
  @Get()
  @RequirePermission('audit:read')
  @ZodResponse(200, auditPage)
  list(@Tenant() tenant: TenantContext, @ZodQuery(auditQuery) query: AuditQuery) {
    return this.audit.list(tenant, query);
  }
}
