import { z } from 'zod';
import { instant } from '../core/input-schemas';
import { pageSchema } from '../core/pagination';
import { role } from '../members/members.dto';

export const createApiKeyBody = z.strictObject({
  name: z.string().trim().min(1, { message: 'must not be empty' }).max(100),
  role,
  expiresAt: instant
    .refine((date) => date.getTime() > Date.now(), { message: 'must be in the future' })
    .optional(),
});
export type CreateApiKeyBody = z.infer<typeof createApiKeyBody>;

export const apiKeySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  role,
  createdById: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().nullable(),
  lastUsedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});
export type ApiKeyView = z.infer<typeof apiKeySchema>;
export const apiKeysPage = pageSchema(apiKeySchema);
/** `key` is the secret, in this response only; the server keeps its SHA-256 digest. */
export const createdApiKeySchema = apiKeySchema.extend({ key: z.string() });
