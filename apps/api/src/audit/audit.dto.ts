import { z } from 'zod';
import { pageSchema } from '../core/pagination';
import { bigintCursor, queryInteger } from '../core/input-schemas';

/** Audit ids are a bigint sequence rather than UUIDs, so the cursor is a decimal id. */
export const auditQuery = z.object({
  limit: queryInteger({ min: 1, max: 200, default: 50 }),
  cursor: bigintCursor.optional(),
  action: z.string().regex(/^[a-zA-Z]+\.[a-z_]+$/, { message: 'must be an action such as member.added' }).optional(),
});
export type AuditQuery = z.infer<typeof auditQuery>;

export const auditEntrySchema = z.object({
  id: z.string(),
  action: z.string(),
  actor: z.object({ userId: z.uuid().nullable(), apiKeyId: z.uuid().nullable() }),
  target: z.object({ type: z.string(), id: z.string() }).nullable(),
  ip: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  createdAt: z.iso.datetime(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export const auditPage = pageSchema(auditEntrySchema);
