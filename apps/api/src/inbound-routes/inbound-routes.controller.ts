import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RequirePermission, Tenant } from '../auth/decorators';
import type { TenantContext } from '../auth/principal';
import { uuidParam, ZodBody, ZodParam, ZodQuery, ZodResponse } from '../core/zod-validation';
import {
  createRouteBody,
  type CreateRouteBody,
  listRoutesQuery,
  type ListRoutesQuery,
  routePage,
  routeView,
  updateRouteBody,
  type UpdateRouteBody,
} from './inbound-route-schemas';
import { InboundRoutesService } from './inbound-routes.service';

/** Where the relay sends mail it receives on port 25 for a tenant's verified domains. */
@ApiTags('inbound-routes')
@Controller('inbound-routes')
export class InboundRoutesController {
  constructor(private readonly routes: InboundRoutesService) {}

  @Get()
  @RequirePermission('routes:read')
  @ZodResponse(200, routePage)
  list(@Tenant() tenant: TenantContext, @ZodQuery(listRoutesQuery) query: ListRoutesQuery) {
    return this.routes.list(tenant, query);
  }

  @Post()
  @RequirePermission('routes:write')
  @ZodResponse(201, routeView)
  create(@Tenant() tenant: TenantContext, @ZodBody(createRouteBody) body: CreateRouteBody) {
    return this.routes.create(tenant, body);
  }

  @Get(':id')
  @RequirePermission('routes:read')
  @ZodResponse(200, routeView)
  get(@Tenant() tenant: TenantContext, @ZodParam('id', uuidParam) id: string) {
    return this.routes.get(tenant, id);
  }

  @Patch(':id')
  @RequirePermission('routes:write')
  @ZodResponse(200, routeView)
  update(@Tenant() tenant: TenantContext, @ZodParam('id', uuidParam) id: string, @ZodBody(updateRouteBody) body: UpdateRouteBody) {
    return this.routes.update(tenant, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('routes:write')
  remove(@Tenant() tenant: TenantContext, @ZodParam('id', uuidParam) id: string) {
    return this.routes.remove(tenant, id);
  }
}
