import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { RequirePermission, Tenant } from '../auth/decorators';
import type { TenantContext } from '../auth/principal';
import { type PageQuery, pageQuery, pageSchema } from '../core/pagination';
import { uuidParam, ZodBody, ZodParam, ZodQuery, ZodResponse } from '../core/zod-validation';
import { createDomainBody, domainSummary, domainView, updateDomainBody } from './domain-schemas';
import { DomainsService } from './domains.service';

@ApiTags('domains')
@Controller('domains')
export class DomainsController {
  constructor(private readonly domains: DomainsService) {}

  /** Adds a sending domain: returns the DNS records to publish, then call verify. */
  @Post()
  @RequirePermission('domains:write')
  @ZodResponse(201, domainView)
  create(@Tenant() tenant: TenantContext, @ZodBody(createDomainBody) body: z.infer<typeof createDomainBody>) {
    return this.domains.create(tenant, body.name);
  }

  @Get()
  @RequirePermission('domains:read')
  @ZodResponse(200, pageSchema(domainSummary))
  list(@Tenant() tenant: TenantContext, @ZodQuery(pageQuery) query: PageQuery) {
    return this.domains.list(tenant, query);
  }

  @Get(':id')
  @RequirePermission('domains:read')
  @ZodResponse(200, domainView)
  get(@Tenant() tenant: TenantContext, @ZodParam('id', uuidParam) id: string) {
    return this.domains.get(tenant, id);
  }

  @Patch(':id')
  @RequirePermission('domains:write')
  @ZodResponse(200, domainView)
  update(@Tenant() tenant: TenantContext, @ZodParam('id', uuidParam) id: string, @ZodBody(updateDomainBody) body: z.infer<typeof updateDomainBody>) {
    return this.domains.update(tenant, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('domains:write')
  async remove(@Tenant() tenant: TenantContext, @ZodParam('id', uuidParam) id: string): Promise<void> {
    await this.domains.remove(tenant, id);
  }

  /** Looks every record up in DNS now and stores what it found. */
  @Post(':id/verify')
  @HttpCode(200)
  @RequirePermission('domains:write')
  @ZodResponse(200, domainView)
  verify(@Tenant() tenant: TenantContext, @ZodParam('id', uuidParam) id: string) {
    return this.domains.verify(tenant, id);
  }
}
