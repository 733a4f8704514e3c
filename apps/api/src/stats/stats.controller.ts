import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RequirePermission, Tenant } from '../auth/decorators';
import type { TenantContext } from '../auth/principal';
import { ZodQuery, ZodResponse } from '../core/zod-validation';
import { domainStats, domainStatsQuery, type DomainStatsQuery, statsQuery, type StatsQuery, statsSeries } from './stats-schemas';
import { StatsService } from './stats.service';

@ApiTags('stats')
@Controller('stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  /** Counts by status per UTC hour or day; from/to are widened to whole buckets. */
  @Get()
  @RequirePermission('messages:read')
  @ZodResponse(200, statsSeries)
  series(@Tenant() tenant: TenantContext, @ZodQuery(statsQuery) query: StatsQuery) {
    return this.stats.series(tenant, query);
  }

  /** Counts by status per sending domain over whole UTC days. */
  @Get('domains')
  @RequirePermission('messages:read')
  @ZodResponse(200, domainStats)
  domains(@Tenant() tenant: TenantContext, @ZodQuery(domainStatsQuery) query: DomainStatsQuery) {
    return this.stats.domains(tenant, query);
  }
}
