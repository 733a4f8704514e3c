import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RequirePermission, Tenant } from '../auth/decorators';
import type { TenantContext } from '../auth/principal';
import { uuidParam, ZodParam, ZodResponse } from '../core/zod-validation';
import { domainView } from '../domains/domain-schemas';
import { DomainsService } from '../domains/domains.service';
import { DkimService } from './dkim.service';

@ApiTags('domains')
@Controller('domains/:id/dkim')
export class DkimController {
  constructor(
    private readonly dkim: DkimService,
    private readonly domains: DomainsService,
  ) {}

  /** Creates a new pending key; publish its record, verify the domain, then activate it. Returns the domain. */
  @Post('rotate')
  @RequirePermission('domains:write')
  @ZodResponse(201, domainView)
  async rotate(@Tenant() tenant: TenantContext, @ZodParam('id', uuidParam) id: string) {
    await this.dkim.rotate(tenant, id);
    return this.domains.get(tenant, id);
  }

  /** Makes a verified pending key the signing key; the previous one keeps its record while it retires. 412 until verified. */
  @Post(':keyId/activate')
  @HttpCode(200)
  @RequirePermission('domains:write')
  @ZodResponse(200, domainView)
  async activate(@Tenant() tenant: TenantContext, @ZodParam('id', uuidParam) id: string, @ZodParam('keyId', uuidParam) keyId: string) {
    await this.dkim.activate(tenant, id, keyId);
    return this.domains.get(tenant, id);
  }
}
