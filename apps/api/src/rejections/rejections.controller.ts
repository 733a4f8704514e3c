import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RequirePermission, Tenant } from '../auth/decorators';
import type { TenantContext } from '../auth/principal';
import { ZodQuery, ZodResponse } from '../core/zod-validation';
import {
  listRejectionsQuery,
  type ListRejectionsQuery,
  rejectionPage,
  rejectionReasons,
  rejectionReasonsQuery,
  type RejectionReasonsQuery,
} from './rejection-schemas';
import { RejectionsService } from './rejections.service';

/** Mail the relay refused (never accepted, so not in /v1/messages): what the Overview's "Rejected" counts. */
@ApiTags('messages')
@Controller('rejections')
export class RejectionsController {
  constructor(private readonly rejections: RejectionsService) {}

  /** Refusals newest first, optionally of one reason; the range defaults to the last 24 hours (at most 31 days). */
  @Get()
  @RequirePermission('messages:read')
  @ZodResponse(200, rejectionPage)
  list(@Tenant() tenant: TenantContext, @ZodQuery(listRejectionsQuery) query: ListRejectionsQuery) {
    return this.rejections.list(tenant, query);
  }

  /** Refusals counted by reason over a range (default the last 24 hours). */
  @Get('reasons')
  @RequirePermission('messages:read')
  @ZodResponse(200, rejectionReasons)
  reasons(@Tenant() tenant: TenantContext, @ZodQuery(rejectionReasonsQuery) query: RejectionReasonsQuery) {
    return this.rejections.reasons(tenant, query);
  }
}
