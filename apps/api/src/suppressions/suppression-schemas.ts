import { z } from 'zod';
import { normalizedEmailAddress } from '../core/email-address';
import { pageQuery, pageSchema } from '../core/pagination';

const reason = z.enum(['hard_bounce', 'complaint', 'manual', 'unsubscribe']);

/** Stored in the relay's normal form (lowercase, A-label domain) so the relay's lookup is an exact match. */
const address = normalizedEmailAddress;

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
