import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Invitation, PrismaClient } from '@smarthost/db';
import { secretDigest } from '@smarthost/relay-policy';
import { audit } from '../audit/audit';
import type { UserPrincipal } from '../auth/decorators';
import type { TenantContext } from '../auth/principal';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { AppError } from '../core/app-error';
import { PRISMA } from '../core/tokens';
import type { MyTenant } from '../tenants/tenants.dto';
import type { InvitationView, InviteBody } from './members.dto';
import { roleAtMost } from './role-rules';

const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

@Injectable()
export class InvitationsService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async listPending(context: TenantContext): Promise<InvitationView[]> {
    const rows = await this.prisma.invitation.findMany({
      where: { tenantId: context.tenantId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
      orderBy: { createdAt: 'desc' },
    });
    return rows.map(view);
  }

  /** A new invitation replaces any pending one for the same address, so only the latest link works. */
  async invite(context: TenantContext, body: InviteBody): Promise<InvitationView & { acceptUrl: string }> {
    if (context.actor.kind !== 'user') throw new AppError('forbidden', 'invitations are sent by a person from a dashboard session');
    if (!roleAtMost(body.role, context.role)) throw new AppError('forbidden', `a ${context.role} cannot invite a ${body.role}`);
    const existing = await this.prisma.membership.findFirst({ where: { tenantId: context.tenantId, user: { email: body.email } } });
    if (existing) throw new AppError('conflict', 'this address is already a member');
    const token = `shi_${randomBytes(24).toString('base64url')}`;
    const invitedById = context.actor.userId;
    const invitation = await this.prisma.$transaction(async (tx) => {
      await tx.invitation.updateMany({
        where: { tenantId: context.tenantId, email: body.email, acceptedAt: null, revokedAt: null },
        data: { revokedAt: new Date() },
      });
      const created = await tx.invitation.create({
        data: {
          tenantId: context.tenantId,
          email: body.email,
          role: body.role,
          tokenDigest: secretDigest(token),
          invitedById,
          expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
        },
      });
      await audit(tx, context, 'member.invited', { type: 'invitation', id: created.id }, { email: body.email, role: body.role });
      return created;
    });
    // The token rides in the fragment, which browsers never send: it stays out of server logs and Referer headers.
    return { ...view(invitation), acceptUrl: new URL(`/invitations/accept#token=${token}`, this.config.PUBLIC_URL).href };
  }

  async revoke(context: TenantContext, invitationId: string): Promise<void> {
    const result = await this.prisma.invitation.updateMany({
      where: { id: invitationId, tenantId: context.tenantId, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (result.count === 0) throw AppError.notFound('invitation');
  }

  /** Joins the logged-in user to the inviting tenant; the invitation must be addressed to this user's email. */
  async accept(user: UserPrincipal, token: string, ip: string | undefined): Promise<MyTenant> {
    const invitation = await this.prisma.invitation.findUnique({ where: { tokenDigest: secretDigest(token) }, include: { tenant: true } });
    // One answer for unknown, used, revoked and expired links: a guessed token learns nothing.
    if (!invitation || invitation.acceptedAt || invitation.revokedAt || invitation.expiresAt <= new Date()) {
      throw AppError.notFound('invitation');
    }
    const account = await this.prisma.user.findUniqueOrThrow({ where: { id: user.userId } });
    if (account.email !== invitation.email) throw new AppError('forbidden', 'this invitation was sent to another email address');
    const context: TenantContext = {
      tenantId: invitation.tenantId,
      role: invitation.role,
      actor: { kind: 'user', userId: user.userId, sessionId: user.sessionId },
      ip,
    };
    await this.prisma.$transaction(async (tx) => {
      const claimed = await tx.invitation.updateMany({ where: { id: invitation.id, acceptedAt: null }, data: { acceptedAt: new Date() } });
      if (claimed.count === 0) throw AppError.notFound('invitation');
      const member = await tx.membership.findUnique({ where: { tenantId_userId: { tenantId: invitation.tenantId, userId: user.userId } } });
      if (member) throw new AppError('conflict', 'you are already a member of this tenant');
      await tx.membership.create({ data: { tenantId: invitation.tenantId, userId: user.userId, role: invitation.role } });
      await audit(tx, context, 'member.added', { type: 'user', id: user.userId }, { role: invitation.role, invitationId: invitation.id });
    });
    const { tenant } = invitation;
    return { id: tenant.id, name: tenant.name, slug: tenant.slug, status: tenant.status, role: invitation.role };
  }
}

function view(invitation: Invitation): InvitationView {
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    createdAt: invitation.createdAt.toISOString(),
    expiresAt: invitation.expiresAt.toISOString(),
  };
}
