import { Readable } from 'node:stream';
import { Controller, Delete, Get, HttpCode, Post, StreamableFile } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import { RequirePermission, Tenant } from '../auth/decorators';
import type { TenantContext } from '../auth/principal';
import { uuidParam, ZodBody, ZodParam, ZodQuery, ZodResponse } from '../core/zod-validation';
import {
  addSuppressionBody,
  type AddSuppressionBody,
  listSuppressionsQuery,
  type ListSuppressionsQuery,
  suppressionPage,
  suppressionView,
} from './suppression-schemas';
import { SuppressionsService } from './suppressions.service';

/** Addresses the relay refuses to send to for this tenant (hard bounces, complaints, manual entries). */
@ApiTags('suppressions')
@Controller('suppressions')
export class SuppressionsController {
  constructor(private readonly suppressions: SuppressionsService) {}

  @Get()
  @RequirePermission('suppressions:read')
  @ZodResponse(200, suppressionPage)
  list(@Tenant() tenant: TenantContext, @ZodQuery(listSuppressionsQuery) query: ListSuppressionsQuery) {
    return this.suppressions.list(tenant, query);
  }

  // Declared before ':id' so "export" is not read as an id.
  @Get('export')
  @RequirePermission('suppressions:read')
  @ApiProduces('text/csv')
  export(@Tenant() tenant: TenantContext) {
    const csv = Readable.from(this.suppressions.exportCsv(tenant));
    return new StreamableFile(csv, { type: 'text/csv; charset=utf-8', disposition: 'attachment; filename="suppressions.csv"' });
  }

  @Post()
  @RequirePermission('suppressions:write')
  @ZodResponse(201, suppressionView)
  add(@Tenant() tenant: TenantContext, @ZodBody(addSuppressionBody) body: AddSuppressionBody) {
    return this.suppressions.add(tenant, body);
  }

  @Get(':id')
  @RequirePermission('suppressions:read')
  @ZodResponse(200, suppressionView)
  get(@Tenant() tenant: TenantContext, @ZodParam('id', uuidParam) id: string) {
    return this.suppressions.get(tenant, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('suppressions:write')
  remove(@Tenant() tenant: TenantContext, @ZodParam('id', uuidParam) id: string) {
    return this.suppressions.remove(tenant, id);
  }
}
