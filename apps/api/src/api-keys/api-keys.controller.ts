import { Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RequirePermission, Tenant } from '../auth/decorators';
import type { TenantContext } from '../auth/principal';
import { type PageQuery, pageQuery } from '../core/pagination';
import { uuidParam, ZodBody, ZodParam, ZodQuery, ZodResponse } from '../core/zod-validation';
import { apiKeysPage, type CreateApiKeyBody, createApiKeyBody, createdApiKeySchema } from './api-keys.dto';
import { ApiKeysService } from './api-keys.service';

@ApiTags('api-keys')
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  /** The key is in this response only. Its role cannot be above the caller's. */
  @Post()
  @RequirePermission('apiKeys:write')
  @ZodResponse(201, createdApiKeySchema)
  create(@Tenant() tenant: TenantContext, @ZodBody(createApiKeyBody) body: CreateApiKeyBody) {
    return this.apiKeys.create(tenant, body);
  }

  @Get()
  @RequirePermission('apiKeys:read')
  @ZodResponse(200, apiKeysPage)
  list(@Tenant() tenant: TenantContext, @ZodQuery(pageQuery) query: PageQuery) {
    return this.apiKeys.list(tenant, query);
  }

  @Delete(':id')
  @RequirePermission('apiKeys:write')
  @HttpCode(204)
  revoke(@Tenant() tenant: TenantContext, @ZodParam('id', uuidParam) id: string): Promise<void> {
    return this.apiKeys.revoke(tenant, id);
  }
}
