import { Inject, Injectable } from '@nestjs/common';
import type { AuditLog, PrismaClient } from '@smarthost/db';
import type { TenantContext } from '../auth/principal';
import type { Page } from '../core/pagination';
import { PRISMA } from '../core/tokens';
import type { AuditEntry, AuditQuery } from './audit.dto';

@Injectable()
export class AuditService {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  /** Newest first; one extra row tells whether another page exists. */
  async list(context: TenantContext, query: AuditQuery): Promise<Page<AuditEntry>> {
    const rows = await this.prisma.auditLog.findMany({
      where: {
        tenantId: context.tenantId,
        ...(query.action ? { action: query.action } : {}),
        ...(query.cursor ? { id: { lt: query.cursor } } : {}),
      },
      orderBy: { id: 'desc' },
      take: query.limit + 1,
    });
    const items = rows.slice(0, query.limit).map(view);
    return { items, nextCursor: rows.length > query.limit ? (items.at(-1)?.id ?? null) : null };
  }
}

function view(row: AuditLog): AuditEntry {
  return {
    id: row.id.toString(),
    action: row.action,
    actor: { userId: row.actorUserId, apiKeyId: row.actorApiKeyId },
    target: row.targetType && row.targetId ? { type: row.targetType, id: row.targetId } : null,
    ip: row.ip,
    metadata: (row.metadata ?? {}) as Record<string, unknown>,
    createdAt: row.createdAt.toISOString(),
  };
}
