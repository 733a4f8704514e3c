import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RequirePermission, Tenant } from '../auth/decorators';
import type { TenantContext } from '../auth/principal';
import { uuidParam, ZodBody, ZodParam, ZodQuery, ZodResponse } from '../core/zod-validation';
import {
  createCredentialBody,
  type CreateCredentialBody,
  credentialPage,
  credentialView,
  credentialWithSecret,
  listCredentialsQuery,
  type ListCredentialsQuery,
  updateCredentialBody,
  type UpdateCredentialBody,
} from './credential-schemas';
import { CredentialsService } from './credentials.service';

/** SMTP credentials apps use to submit mail. Passwords appear only in the create and rotate responses. */
@ApiTags('credentials')
@Controller('credentials')
export class CredentialsController {
  constructor(private readonly credentials: CredentialsService) {}

  @Get()
  @RequirePermission('credentials:read')
  @ZodResponse(200, credentialPage)
  list(@Tenant() tenant: TenantContext, @ZodQuery(listCredentialsQuery) query: ListCredentialsQuery) {
    return this.credentials.list(tenant, query);
  }

  @Post()
  @RequirePermission('credentials:write')
  @ZodResponse(201, credentialWithSecret, 'The password is shown here once and never again')
  create(@Tenant() tenant: TenantContext, @ZodBody(createCredentialBody) body: CreateCredentialBody) {
    return this.credentials.create(tenant, body);
  }

  @Get(':id')
  @RequirePermission('credentials:read')
  @ZodResponse(200, credentialView)
  get(@Tenant() tenant: TenantContext, @ZodParam('id', uuidParam) id: string) {
    return this.credentials.get(tenant, id);
  }

  @Patch(':id')
  @RequirePermission('credentials:write')
  @ZodResponse(200, credentialView)
  update(
    @Tenant() tenant: TenantContext,
    @ZodParam('id', uuidParam) id: string,
    @ZodBody(updateCredentialBody) body: UpdateCredentialBody,
  ) {
    return this.credentials.update(tenant, id, body);
  }

  @Post(':id/disable')
  @HttpCode(200)
  @RequirePermission('credentials:write')
  @ZodResponse(200, credentialView)
  disable(@Tenant() tenant: TenantContext, @ZodParam('id', uuidParam) id: string) {
    return this.credentials.setStatus(tenant, id, 'disabled');
  }

  @Post(':id/enable')
  @HttpCode(200)
  @RequirePermission('credentials:write')
  @ZodResponse(200, credentialView)
  enable(@Tenant() tenant: TenantContext, @ZodParam('id', uuidParam) id: string) {
    return this.credentials.setStatus(tenant, id, 'active');
  }

  @Post(':id/rotate')
  @HttpCode(200)
  @RequirePermission('credentials:write')
  @ZodResponse(200, credentialWithSecret, 'The new password is shown here once; the old one stops working')
  rotate(@Tenant() tenant: TenantContext, @ZodParam('id', uuidParam) id: string) {
    return this.credentials.rotate(tenant, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('credentials:write')
  remove(@Tenant() tenant: TenantContext, @ZodParam('id', uuidParam) id: string) {
    return this.credentials.remove(tenant, id);
  }
}
