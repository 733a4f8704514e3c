import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { PrismaClient } from '@smarthost/db';
import { z } from 'zod';
import { RequirePermission, Tenant } from '../auth/decorators';
import type { TenantContext } from '../auth/principal';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { PRISMA } from '../core/tokens';
import { ZodResponse } from '../core/zod-validation';
import { recentOutcomes } from './recent-outcomes';

export const bounceRateView = z.object({
  /** Counted since the later of 24 hours ago and the tenant's last status change, as the guard counts them. */
  delivered: z.number().int(),
  bounced: z.number().int(),
  /** bounced / (delivered + bounced); null before the first outcome. */
  bounceRate: z.number().nullable(),
  /** The rate at which sending is paused; 0 when the guard is off. */
  pauseRate: z.number(),
  /** Messages needed before the rate is judged. */
  minMessages: z.number().int(),
});
export type BounceRateView = z.infer<typeof bounceRateView>;

/** The tenant's bounce rate as the reputation guard sees it, so customers can act before they are paused. */
@ApiTags('reputation')
@Controller('reputation')
export class ReputationController {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  @Get('bounce-rate')
  @RequirePermission('tenant:read')
  @ZodResponse(200, bounceRateView)
  async bounceRate(@Tenant() tenant: TenantContext): Promise<BounceRateView> {
    const [outcomes] = await recentOutcomes(this.prisma, { now: new Date(), tenantId: tenant.tenantId });
    const delivered = outcomes?.delivered ?? 0;
    const bounced = outcomes?.bounced ?? 0;
    return {
      delivered,
      bounced,
      bounceRate: delivered + bounced > 0 ? bounced / (delivered + bounced) : null,
      pauseRate: this.config.REPUTATION_BOUNCE_PAUSE_RATE,
      minMessages: this.config.REPUTATION_MIN_MESSAGES,
    };
  }
}
