import type { Prisma } from '@smarthost/db';
import { audit, type AuditAction } from '../audit/audit';
import type { TenantContext } from '../auth/principal';

/** Writes an audit entry for a domain change, whether a person or the scheduled re-check made it. */
export type DomainAuditor = (
  tx: Prisma.TransactionClient,
  action: AuditAction,
  target: { type: string; id: string },
  metadata: Prisma.InputJsonObject,
) => Promise<void>;

export function tenantAuditor(tenant: TenantContext): DomainAuditor {
  return (tx, action, target, metadata) => audit(tx, tenant, action, target, metadata);
}

/**
 * The scheduled re-check acts for nobody: the entry names the tenant and no actor, and says it was the scheduler,
 * so a customer reading their log can tell a status change they did not make from one an attacker made.
 */
export function schedulerAuditor(tenantId: string): DomainAuditor {
  return async (tx, action, target, metadata) => {
    await tx.auditLog.create({
      data: { tenantId, action, targetType: target.type, targetId: target.id, metadata: { ...metadata, by: 'scheduler' } },
    });
  };
}
