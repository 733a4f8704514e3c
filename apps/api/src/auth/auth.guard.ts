import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ApiKey, PrismaClient } from '@smarthost/db';
import { secretDigest } from '@smarthost/relay-policy';
import type { Request } from 'express';
import { AppError } from '../core/app-error';
import { uuid } from '../core/input-schemas';
import { PRISMA } from '../core/tokens';
import { roleAtMost } from '../members/role-rules';
import { type AuthedRequest, PERMISSION, PUBLIC_ROUTE, USER_ROUTE } from './decorators';
import { type Permission, roleHas } from './permissions';
import type { Principal, TenantContext } from './principal';
import { SESSION_COOKIE, CSRF_HEADER } from './session-cookie';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const LAST_USED_GRANULARITY_MS = 60_000;

/**
 * The one gate every route passes. It fails closed: a route that declares neither @Public, @UserRoute nor a
 * permission is refused, so forgetting a decorator cannot open a route.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & AuthedRequest>();
    const principal = await this.resolvePrincipal(request);
    request.principal = principal;
    if (this.reflector.getAllAndOverride<boolean>(USER_ROUTE, targets)) {
      if (principal.kind !== 'user') throw new AppError('forbidden', 'this route needs a dashboard session');
      return true;
    }
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION, targets);
    if (!permission) throw new AppError('forbidden', 'route is not open to callers');
    request.tenant = await this.resolveTenant(request, principal, permission);
    return true;
  }

  private async resolvePrincipal(request: Request): Promise<Principal> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (bearer) return this.apiKeyPrincipal(bearer);
    const token = (request.signedCookies as Record<string, string | false> | undefined)?.[SESSION_COOKIE];
    if (token) return this.sessionPrincipal(request, token);
    throw new AppError('unauthenticated', 'log in or send an API key as a bearer token');
  }

  private async apiKeyPrincipal(key: string): Promise<Principal> {
    const apiKey = await this.prisma.apiKey.findUnique({ where: { digest: secretDigest(key) } });
    const now = new Date();
    if (!apiKey || apiKey.revokedAt || (apiKey.expiresAt && apiKey.expiresAt <= now)) {
      throw new AppError('unauthenticated', 'API key is invalid, revoked or expired');
    }
    await this.assertCreatorStillHoldsRole(apiKey);
    if (!apiKey.lastUsedAt || now.getTime() - apiKey.lastUsedAt.getTime() > LAST_USED_GRANULARITY_MS) {
      await this.prisma.apiKey.update({ where: { id: apiKey.id }, data: { lastUsedAt: now } });
    }
    return { kind: 'apiKey', apiKeyId: apiKey.id, tenantId: apiKey.tenantId, role: apiKey.role };
  }

  /**
   * A key acts for the person who minted it: once they leave the tenant (or are deleted: createdById goes null) or
   * drop below the key's role, the key would outlive their access, so it stops working. One primary-key lookup.
   */
  private async assertCreatorStillHoldsRole(apiKey: ApiKey): Promise<void> {
    const membership = apiKey.createdById
      ? await this.prisma.membership.findUnique({
          where: { tenantId_userId: { tenantId: apiKey.tenantId, userId: apiKey.createdById } },
          select: { role: true },
        })
      : null;
    if (!membership || !roleAtMost(apiKey.role, membership.role)) {
      throw new AppError('unauthenticated', 'API key creator no longer holds its role in this tenant');
    }
  }

  private async sessionPrincipal(request: Request, token: string): Promise<Principal> {
    const session = await this.prisma.session.findUnique({ where: { tokenDigest: secretDigest(token) } });
    if (!session || session.revokedAt || session.expiresAt <= new Date()) {
      throw new AppError('unauthenticated', 'session expired; log in again');
    }
    // Double-submit CSRF defence: a cross-site form can send the cookie but cannot read the token to echo it.
    if (!SAFE_METHODS.has(request.method)) {
      const csrf = request.header(CSRF_HEADER);
      if (!csrf || secretDigest(csrf) !== session.csrfDigest) {
        throw new AppError('forbidden', `missing or wrong ${CSRF_HEADER} header`);
      }
    }
    return { kind: 'user', userId: session.userId, sessionId: session.id, csrfDigest: session.csrfDigest };
  }

  private async resolveTenant(request: Request, principal: Principal, permission: Permission): Promise<TenantContext> {
    const ip = request.ip;
    const requested = tenantHeader(request);
    if (principal.kind === 'apiKey') {
      if (requested && requested !== principal.tenantId) throw AppError.notFound('tenant');
      this.assertAllowed(principal.role, permission);
      return { tenantId: principal.tenantId, role: principal.role, actor: { kind: 'apiKey', apiKeyId: principal.apiKeyId }, ip };
    }
    const tenantId = requested;
    if (!tenantId) throw AppError.invalid('header.x-tenant-id', 'required for dashboard sessions');
    const membership = await this.prisma.membership.findUnique({
      where: { tenantId_userId: { tenantId, userId: principal.userId } },
    });
    // 404, not 403: another tenant's existence is not disclosed.
    if (!membership) throw AppError.notFound('tenant');
    this.assertAllowed(membership.role, permission);
    return {
      tenantId,
      role: membership.role,
      actor: { kind: 'user', userId: principal.userId, sessionId: principal.sessionId },
      ip,
    };
  }

  private assertAllowed(role: TenantContext['role'], permission: Permission): void {
    if (!roleHas(role, permission)) throw new AppError('forbidden', `role ${role} lacks permission ${permission}`);
  }
}

/** The tenant a request names, parsed as a UUID: a 36-character look-alike reached Postgres and made it 500. */
function tenantHeader(request: Request): string | undefined {
  const value = request.header('x-tenant-id');
  if (value === undefined || value === '') return undefined;
  const parsed = uuid.safeParse(value);
  if (!parsed.success) throw AppError.invalid('header.x-tenant-id', 'must be a UUID');
  return parsed.data;
}
