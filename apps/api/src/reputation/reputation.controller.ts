import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RequirePermission, Tenant } from '../auth/decorators';
import type { TenantContext } from '../auth/principal';
import { ZodResponse } from '../core/zod-validation';
import { bounceRateView } from './reputation.schemas';
import { ReputationService } from './reputation.service';

/** What the reputation guard sees of the tenant's mail. */
@ApiTags('reputation')
@Controller('reputation')
export class ReputationController {
  constructor(private readonly reputation: ReputationService) {}

  @Get('bounce-rate')
  @RequirePermission('tenant:read')
  @ZodResponse(200, bounceRateView)
  bounceRate(@Tenant() tenant: TenantContext) {
    return this.reputation.bounceRate(tenant);
  }
}
