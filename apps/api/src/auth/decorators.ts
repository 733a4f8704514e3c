import { createParamDecorator, type ExecutionContext, SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiHeader } from '@nestjs/swagger';
import type { Permission } from './permissions';
import type { Principal, TenantContext } from './principal';

export const PUBLIC_ROUTE = 'smarthost:public';
export const PERMISSION = 'smarthost:permission';
export const USER_ROUTE = 'smarthost:user-route';

/** No authentication (health, sign-up, log-in, webhooks with their own signature). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** A tenant-scoped route: the caller must be a member (or an API key) of the tenant with this permission. */
export const RequirePermission = (permission: Permission) =>
  applyDecorators(
    SetMetadata(PERMISSION, permission),
    ApiBearerAuth(),
    ApiCookieAuth(),
    ApiHeader({
      name: 'x-tenant-id',
      required: false,
      description: 'Tenant to act on (dashboard sessions; API keys imply it)',
      schema: { type: 'string', format: 'uuid' },
    }),
  );

/** A route for a logged-in user that is not about one tenant (own profile, list of own tenants). */
export const UserRoute = () => applyDecorators(SetMetadata(USER_ROUTE, true), ApiCookieAuth());

export interface AuthedRequest {
  principal?: Principal;
  tenant?: TenantContext;
}

/** The tenant context the guard resolved; only on routes with @RequirePermission. */
export const Tenant = createParamDecorator((_: unknown, context: ExecutionContext): TenantContext => {
  const tenant = context.switchToHttp().getRequest<AuthedRequest>().tenant;
  if (!tenant) throw new Error('@Tenant() used on a route without @RequirePermission');
  return tenant;
});

export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthedRequest>().principal;
  if (!principal) throw new Error('@CurrentPrincipal() used on a public route');
  return principal;
});

export type UserPrincipal = Extract<Principal, { kind: 'user' }>;

/** The logged-in user on a @UserRoute (the guard has already refused API keys there). */
export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): UserPrincipal => {
  const principal = context.switchToHttp().getRequest<AuthedRequest>().principal;
  if (principal?.kind !== 'user') throw new Error('@CurrentUser() used on a route without @UserRoute');
  return principal;
});
