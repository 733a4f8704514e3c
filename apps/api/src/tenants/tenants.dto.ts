import { tenantLimitsSchema } from '@smarthost/relay-policy';
import { z } from 'zod';

export const tenantName = z.string().trim().min(1, { message: 'must not be empty' }).max(100);

export const updateTenantBody = z
  .strictObject({ name: tenantName.optional(), bounceNotices: z.boolean().optional() })
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change' });
export type UpdateTenantBody = z.infer<typeof updateTenantBody>;

const role = z.enum(['owner', 'admin', 'developer', 'viewer']);
const status = z.enum(['active', 'suspended', 'paused']);

export const myTenantSchema = z.object({ id: z.uuid(), name: z.string(), slug: z.string(), status, role });
export const myTenantsResponse = z.object({ items: z.array(myTenantSchema) });

const usage = z.object({ periodStart: z.iso.date(), messages: z.number(), recipients: z.number() });

export const tenantResponse = z.object({
  id: z.uuid(),
  name: z.string(),
  slug: z.string(),
  status,
  statusReason: z.string().nullable(),
  bounceNotices: z.boolean(),
  role,
  plan: z.object({ id: z.string(), name: z.string(), priceCents: z.number() }),
  limits: tenantLimitsSchema,
  overrides: z.record(z.string(), z.number().nullable()),
  usage: z.object({ today: usage, month: usage }),
  createdAt: z.iso.datetime(),
});
export type TenantResponse = z.infer<typeof tenantResponse>;
export type MyTenant = z.infer<typeof myTenantSchema>;
