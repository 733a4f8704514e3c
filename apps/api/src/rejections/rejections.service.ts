import { Inject, Injectable } from '@nestjs/common';
import { Prisma, type PrismaClient } from '@smarthost/db';
import type { TenantContext } from '../auth/principal';
import type { Page } from '../core/pagination';
import { PRISMA } from '../core/tokens';
import {
  encodeRejectionCursor,
  type ListRejectionsQuery,
  type RejectionReasons,
  type RejectionReasonsQuery,
  rejectionRange,
  type RejectionView,
} from './rejection-schemas';

interface RejectionRow {
  id: string;
  occurredAt: Date;
  smtpCode: number | null;
  enhancedCode: string | null;
  response: string | null;
  recipient: string | null;
  relayNode: string | null;
}

// The ingest stores a refusal's code at the head of `response` ("<code>: <reply>"); codes contain no ':'.
const REASON = Prisma.sql`split_part(response, ':', 1)`;

/**
 * Refusals the relay answered for this tenant (wrong sender, quota, suppressed recipient …), read from the raw
 * events within a bounded range on the (tenantId, occurredAt) index.
 */
@Injectable()
export class RejectionsService {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async list(tenant: TenantContext, query: ListRejectionsQuery): Promise<Page<RejectionView>> {
    const { from, to } = rejectionRange(query);
    const reason = query.reason === undefined ? Prisma.empty : Prisma.sql`AND ${REASON} = ${query.reason}`;
    const c = query.cursor;
    const cursor = c ? Prisma.sql`AND ("occurredAt", id) < (${c.occurredAt.toISOString()}::timestamp(3), ${c.id})` : Prisma.empty;
    const rows = await this.prisma.$queryRaw<RejectionRow[]>`
      SELECT id::text AS id, "occurredAt", "smtpCode", "enhancedCode", response, recipient, "relayNode"
      FROM delivery_events
      WHERE "tenantId" = ${tenant.tenantId}::uuid AND type = 'rejected'
        AND "occurredAt" >= ${from.toISOString()}::timestamp(3) AND "occurredAt" < ${to.toISOString()}::timestamp(3) ${reason} ${cursor}
      ORDER BY "occurredAt" DESC, id DESC
      LIMIT ${query.limit + 1}`;
    const items = rows.slice(0, query.limit).map(toView);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > query.limit && last ? encodeRejectionCursor(last) : null };
  }

  async reasons(tenant: TenantContext, query: RejectionReasonsQuery): Promise<RejectionReasons> {
    const { from, to } = rejectionRange(query);
    const rows = await this.prisma.$queryRaw<{ reason: string; count: number }[]>`
      SELECT ${REASON} AS reason, count(*)::int AS count
      FROM delivery_events
      WHERE "tenantId" = ${tenant.tenantId}::uuid AND type = 'rejected'
        AND "occurredAt" >= ${from.toISOString()}::timestamp(3) AND "occurredAt" < ${to.toISOString()}::timestamp(3)
      GROUP BY 1
      ORDER BY 2 DESC, 1`;
    return { from, to, reasons: rows };
  }
}

function toView(row: RejectionRow): RejectionView {
  const reason = row.response?.split(':', 1)[0] ?? '';
  const detail = row.response === null || row.response === reason ? null : row.response.slice(reason.length + 2);
  // Relays record the reply text after its code ("5.7.1 Sender address …"); the client saw the code in front of it.
  const reply = detail !== null && row.smtpCode !== null && !detail.startsWith(String(row.smtpCode)) ? `${row.smtpCode} ${detail}` : detail;
  return { id: row.id, occurredAt: row.occurredAt, reason, smtpCode: row.smtpCode, enhancedCode: row.enhancedCode, reply, recipient: row.recipient, relayNode: row.relayNode };
}
