import { z } from 'zod';
import { int4 } from '../core/input-schemas';
import { pageQuery, pageSchema } from '../core/pagination';

const limit = int4(1).nullable();

export const tenantPolicyBody = z
  .strictObject({
    status: z.enum(['active', 'suspended', 'paused']).optional(),
    /** Shown to the tenant's SMTP clients in the refusal (suspended 550 5.7.1, paused 451 4.7.1) and in the dashboard. */
    statusReason: z.string().trim().min(3).max(200).optional(),
    planId: z.string().min(1).max(64).optional(),
    overrides: z
      .strictObject({
        messagesPerDay: limit.optional(),
        messagesPerMonth: limit.optional(),
        messagesPerMinute: limit.optional(),
        // RFC 5321 §4.5.3.1.8 asks for at least 100; events list every recipient, up to 1000.
        recipientsPerMessage: z.number().int().min(1).max(1000).nullable().optional(),
        maxMessageBytes: limit.optional(),
      })
      .optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'must change at least one field' })
  .refine((body) => body.status === undefined || body.status === 'active' || body.statusReason !== undefined, {
    message: 'a reason is required to suspend or pause a tenant',
    path: ['statusReason'],
  });

export type TenantPolicyBody = z.infer<typeof tenantPolicyBody>;

const tenantStatus = z.enum(['active', 'suspended', 'paused']);

export const operatorTenantView = z.object({
  id: z.string(),
  name: z.string(),
  status: tenantStatus,
  statusReason: z.string().nullable(),
  planId: z.string(),
});

export const listTenantsQuery = pageQuery.extend({ status: tenantStatus.optional() });
export type ListTenantsQuery = z.infer<typeof listTenantsQuery>;

export const operatorTenantPage = pageSchema(operatorTenantView.extend({ updatedAt: z.date() }));
