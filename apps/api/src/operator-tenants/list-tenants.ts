import type { PrismaClient } from '@smarthost/db';
import { toPage } from '../core/pagination';
import type { ListTenantsQuery } from './operator-tenants.schemas';

/**
 * Tenants across the installation, newest first, optionally by status: what an operator reviews, e.g. the tenants the
 * reputation guard or billing paused (`status=paused`), each with the reason it was given.
 */
export async function listTenants(prisma: PrismaClient, query: ListTenantsQuery) {
  const rows = await prisma.tenant.findMany({
    where: { ...(query.status ? { status: query.status } : {}), ...(query.cursor ? { id: { lt: query.cursor } } : {}) },
    select: { id: true, name: true, status: true, statusReason: true, planId: true, updatedAt: true },
    orderBy: { id: 'desc' },
    take: query.limit + 1,
  });
  return toPage(rows, query);
}
