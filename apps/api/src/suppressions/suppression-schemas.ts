import { parseAddress } from '@smarthost/relay-policy';
import { z } from 'zod';
import { pageQuery, pageSchema } from '../core/pagination';

const reason = z.enum(['hard_bounce', 'complaint', 'manual', 'unsubscribe']);

/** Stored in the relay's normal form (lowercase, A-label domain) so the relay's lookup is an exact match. */
const address = z
  .string()
  .max(254)
  .transform((value, ctx) => {
    const parsed = parseAddress(value.trim());
    if (parsed.ok) return parsed.address.normalized;
    ctx.addIssue({ code: 'custom', message: `must be a plain email address (${parsed.reason})` });
    return z.NEVER;
  });

export const addSuppressionBody = z.strictObject({
  address,
  reason: reason.default('manual'),
  detail: z.string().trim().max(500).optional(),
});
export type AddSuppressionBody = z.infer<typeof addSuppressionBody>;

export const listSuppressionsQuery = pageQuery.extend({
  prefix: z.string().trim().min(1).max(254).toLowerCase().optional(),
});
export type ListSuppressionsQuery = z.infer<typeof listSuppressionsQuery>;

export const suppressionView = z.object({
  id: z.uuid(),
  address: z.string(),
  reason,
  detail: z.string().nullable(),
  createdAt: z.date(),
});
export type SuppressionView = z.infer<typeof suppressionView>;

export const suppressionPage = pageSchema(suppressionView);
