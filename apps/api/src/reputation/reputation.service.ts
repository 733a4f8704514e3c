import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '@smarthost/db';
import type { TenantContext } from '../auth/principal';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { PRISMA } from '../core/tokens';
import { pauseRules } from './pause-rules-config';
import { recentOutcomes } from './recent-outcomes';
import type { BounceRateView } from './reputation.schemas';

@Injectable()
export class ReputationService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  /** The tenant's bounce and complaint rates as the reputation guard sees them, so customers can act before a pause. */
  async bounceRate(context: TenantContext): Promise<BounceRateView> {
    const [outcomes] = await recentOutcomes(this.prisma, { now: new Date(), tenantId: context.tenantId });
    const { delivered = 0, bounced = 0, complained = 0 } = outcomes ?? {};
    const rules = pauseRules(this.config);
    return {
      delivered,
      bounced,
      bounceRate: delivered + bounced > 0 ? bounced / (delivered + bounced) : null,
      pauseRate: rules.bounceRate,
      minMessages: rules.minMessages,
      complained,
      complaintRate: delivered > 0 ? complained / delivered : null,
      complaintPauseRate: rules.complaintRate,
      minDelivered: rules.minDelivered,
    };
  }
}
