import type { Prisma } from '@smarthost/db';
import type { TenantContext } from '../auth/principal';

export type AuditAction =
  | 'member.invited'
  | 'member.added'
  | 'member.role_changed'
  | 'member.removed'
  | 'apiKey.created'
  | 'apiKey.revoked'
  | 'credential.created'
  | 'credential.updated'
  | 'credential.rotated'
  | 'credential.disabled'
  | 'credential.enabled'
  | 'credential.deleted'
  | 'inboundRoute.created'
  | 'inboundRoute.updated'
  | 'inboundRoute.deleted'
  | 'suppression.added'
  | 'suppression.removed'
  | 'domain.added'
  | 'domain.verified'
  | 'domain.removed'
  | 'domain.updated'
  | 'domain.verification_lost'
  | 'dkim.rotated'
  | 'dkim.activated'
  | 'tenant.updated'
  | 'tenant.status_changed'
  | 'plan.changed'
  | 'user.password_changed'
  | 'user.logged_in';

/** Writes one audit entry for a security-relevant action, in the caller's transaction when it has one. */
export async function audit(
  db: Prisma.TransactionClient,
  tenant: TenantContext,
  action: AuditAction,
  target?: { type: string; id: string },
  metadata: Prisma.InputJsonObject = {},
): Promise<void> {
  await db.auditLog.create({
    data: {
      tenantId: tenant.tenantId,
      actorUserId: tenant.actor.kind === 'user' ? tenant.actor.userId : null,
      actorApiKeyId: tenant.actor.kind === 'apiKey' ? tenant.actor.apiKeyId : null,
      action,
      targetType: target?.type ?? null,
      targetId: target?.id ?? null,
      ip: tenant.ip ?? null,
      metadata,
    },
  });
}

export type AccountAuditAction = 'user.password_changed' | 'user.logged_in';

/** An action on a user's own account, not on any one tenant (tenantId stays null). */
export async function auditAccount(
  db: Prisma.TransactionClient,
  userId: string,
  action: AccountAuditAction,
  ip: string | undefined,
): Promise<void> {
  await db.auditLog.create({ data: { actorUserId: userId, action, targetType: 'user', targetId: userId, ip: ip ?? null } });
}
