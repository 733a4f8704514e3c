import { Controller, Delete, Get, HttpCode, Patch, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentUser, RequirePermission, Tenant, UserRoute, type UserPrincipal } from '../auth/decorators';
import type { TenantContext } from '../auth/principal';
import { uuidParam, ZodBody, ZodParam, ZodResponse } from '../core/zod-validation';
import {
  type AcceptBody,
  acceptBody,
  acceptResponse,
  type ChangeRoleBody,
  changeRoleBody,
  createdInvitationSchema,
  invitationsResponse,
  type InviteBody,
  inviteBody,
  memberSchema,
  membersResponse,
} from './members.dto';
import { InvitationsService } from './invitations.service';
import { MembersService } from './members.service';

@ApiTags('members')
@Controller()
export class MembersController {
  constructor(
    private readonly members: MembersService,
    private readonly invitations: InvitationsService,
  ) {}

  @Get('members')
  @RequirePermission('members:read')
  @ZodResponse(200, membersResponse)
  async list(@Tenant() tenant: TenantContext) {
    return { items: await this.members.list(tenant) };
  }

  /** Only an owner may grant or take away the owner role; the last owner cannot be demoted. */
  @Patch('members/:id')
  @RequirePermission('members:write')
  @ZodResponse(200, memberSchema)
  changeRole(@Tenant() tenant: TenantContext, @ZodParam('id', uuidParam) id: string, @ZodBody(changeRoleBody) body: ChangeRoleBody) {
    return this.members.changeRole(tenant, id, body.role);
  }

  /** The last owner cannot be removed. */
  @Delete('members/:id')
  @RequirePermission('members:write')
  @HttpCode(204)
  remove(@Tenant() tenant: TenantContext, @ZodParam('id', uuidParam) id: string): Promise<void> {
    return this.members.remove(tenant, id);
  }

  @Get('invitations')
  @RequirePermission('members:read')
  @ZodResponse(200, invitationsResponse)
  async pending(@Tenant() tenant: TenantContext) {
    return { items: await this.invitations.listPending(tenant) };
  }

  /** The response's acceptUrl holds the invitation token; it is shown this once and expires in 7 days. */
  @Post('invitations')
  @RequirePermission('members:write')
  @ZodResponse(201, createdInvitationSchema)
  invite(@Tenant() tenant: TenantContext, @ZodBody(inviteBody) body: InviteBody) {
    return this.invitations.invite(tenant, body);
  }

  @Delete('invitations/:id')
  @RequirePermission('members:write')
  @HttpCode(204)
  revoke(@Tenant() tenant: TenantContext, @ZodParam('id', uuidParam) id: string): Promise<void> {
    return this.invitations.revoke(tenant, id);
  }

  /** The logged-in user joins the tenant that invited their email address. */
  @Post('invitations/accept')
  @UserRoute()
  @HttpCode(200)
  @ZodResponse(200, acceptResponse)
  async accept(@CurrentUser() user: UserPrincipal, @ZodBody(acceptBody) body: AcceptBody, @Req() request: Request) {
    return { tenant: await this.invitations.accept(user, body.token, request.ip) };
  }
}
