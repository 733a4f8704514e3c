import { z } from 'zod';
import { queryInteger, uuid } from './input-schemas';

/**
 * Cursor pagination over ids. Ids are UUIDv7, so ordering by id is ordering by creation time and the cursor is just
 * the last id seen: stable under concurrent inserts, and an index range scan whatever the page.
 */
export const pageQuery = z.object({
  limit: queryInteger({ min: 1, max: 200, default: 50 }),
  cursor: uuid.optional(),
});

export type PageQuery = z.infer<typeof pageQuery>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const pageSchema = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/**
 * Prisma findMany arguments for newest-first pages within `where` (which must carry the tenant id): one extra row is
 * fetched to know whether a next page exists.
 */
export function pageArgs<W extends { tenantId: string }>(query: PageQuery, where: W) {
  return {
    where: { ...where, ...(query.cursor ? { id: { lt: query.cursor } } : {}) },
    take: query.limit + 1,
    orderBy: { id: 'desc' as const },
  };
}

export function toPage<T extends { id: string }>(rows: T[], query: PageQuery): Page<T> {
  const items = rows.slice(0, query.limit);
  return { items, nextCursor: rows.length > query.limit ? (items.at(-1)?.id ?? null) : null };
}
