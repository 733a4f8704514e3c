import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '@smarthost/db';
import type { TenantContext } from '../auth/principal';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { PRISMA } from '../core/tokens';
import { recentOutcomes } from './recent-outcomes';
import type { BounceRateView } from './reputation.schemas';

@Injectable()
export class ReputationService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  /** The tenant's bounce rate as the reputation guard sees it, so customers can act before they are paused. */
  async bounceRate(context: TenantContext): Promise<BounceRateView> {
    const [outcomes] = await recentOutcomes(this.prisma, { now: new Date(), tenantId: context.tenantId });
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
