import { Inject, Injectable } from '@nestjs/common';
import type { Prisma, PrismaClient } from '@smarthost/db';
import { audit } from '../audit/audit';
import type { TenantContext } from '../auth/principal';
import { AppError } from '../core/app-error';
import { type Page, pageArgs, toPage } from '../core/pagination';
import { PRISMA } from '../core/tokens';
import { recordPolicyChange } from '../policy/policy-changes';
import type { AddSuppressionBody, ListSuppressionsQuery, SuppressionView } from './suppression-schemas';
import { CSV_HEADER, csvLine } from './suppressions-csv';

const VIEW = { id: true, address: true, reason: true, detail: true, createdAt: true } satisfies Prisma.SuppressionSelect;

/** Rows per query while exporting: memory stays flat however long the list is. */
const EXPORT_PAGE = 1000;

@Injectable()
export class SuppressionsService {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async list(tenant: TenantContext, query: ListSuppressionsQuery): Promise<Page<SuppressionView>> {
    const where = { tenantId: tenant.tenantId, ...(query.prefix ? { address: { startsWith: query.prefix } } : {}) };
    const rows = await this.prisma.suppression.findMany({ ...pageArgs(query, where), select: VIEW });
    return toPage(rows, query);
  }

  async get(tenant: TenantContext, id: string): Promise<SuppressionView> {
    const row = await this.prisma.suppression.findFirst({ where: { id, tenantId: tenant.tenantId }, select: VIEW });
    if (!row) throw AppError.notFound('suppression');
    return row;
  }

  async add(tenant: TenantContext, body: AddSuppressionBody): Promise<SuppressionView> {
    return this.prisma.$transaction(async (tx) => {
      const row = await tx.suppression.create({
        data: { tenantId: tenant.tenantId, address: body.address, reason: body.reason, detail: body.detail ?? null },
        select: VIEW,
      });
      await audit(tx, tenant, 'suppression.added', { type: 'suppression', id: row.id }, { reason: row.reason });
      await recordPolicyChange(tx, { tenantId: tenant.tenantId, entity: 'suppression', entityId: row.id, op: 'upsert' });
      return row;
    });
  }

  async remove(tenant: TenantContext, id: string): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const { count } = await tx.suppression.deleteMany({ where: { id, tenantId: tenant.tenantId } });
      if (count === 0) throw AppError.notFound('suppression');
      await audit(tx, tenant, 'suppression.removed', { type: 'suppression', id });
      await recordPolicyChange(tx, { tenantId: tenant.tenantId, entity: 'suppression', entityId: id, op: 'delete' });
    });
  }

  /** The whole list as CSV, oldest first, read page by page by id so a large list is never loaded at once. */
  async *exportCsv(tenant: TenantContext): AsyncGenerator<string> {
    const tenantId = tenant.tenantId;
    yield CSV_HEADER;
    let after: string | undefined;
    for (;;) {
      const rows = await this.prisma.suppression.findMany({
        where: { tenantId, ...(after ? { id: { gt: after } } : {}) },
        orderBy: { id: 'asc' },
        take: EXPORT_PAGE,
        select: VIEW,
      });
      if (rows.length > 0) yield rows.map(csvLine).join('');
      if (rows.length < EXPORT_PAGE) return;
      after = rows.at(-1)?.id;
    }
  }
}
