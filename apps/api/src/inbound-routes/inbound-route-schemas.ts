import { checkLocalPart, ROUTE_TLS_MODES } from '@smarthost/relay-policy';
import { z } from 'zod';
import { uuid } from '../core/input-schemas';
import { pageQuery, pageSchema } from '../core/pagination';

/** '*' catches every local part of the domain; anything else is one exact (case-insensitive) local part. */
const pattern = z
  .string()
  .trim()
  .max(64)
  .transform((value, ctx) => {
    if (value === '*') return value;
    const refusal = checkLocalPart(value);
    if (refusal === null) return value.toLowerCase();
    ctx.addIssue({ code: 'custom', message: `must be '*' or a plain local part (${refusal})` });
    return z.NEVER;
  });

const action = z.enum(['forward', 'reject']);
const host = z.string().max(255);
const port = z.number().int().min(1).max(65535);
/** Defaults to a verified certificate: the reading that never hands mail to whoever intercepts the connection. */
const tlsMode = z.enum(ROUTE_TLS_MODES, { message: `must be one of ${ROUTE_TLS_MODES.join(', ')}` });

export const createRouteBody = z.strictObject({
  domainId: uuid,
  pattern,
  action: action.default('forward'),
  host: host.optional(),
  port: port.optional(),
  tlsMode: tlsMode.default('require_verified'),
});
export type CreateRouteBody = z.infer<typeof createRouteBody>;

export const updateRouteBody = z
  .strictObject({
    pattern: pattern.optional(),
    action: action.optional(),
    host: host.nullable().optional(),
    port: port.nullable().optional(),
    tlsMode: tlsMode.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'must change at least one field' });
export type UpdateRouteBody = z.infer<typeof updateRouteBody>;

export const listRoutesQuery = pageQuery.extend({ domainId: uuid.optional() });
export type ListRoutesQuery = z.infer<typeof listRoutesQuery>;

export const routeView = z.object({
  id: z.uuid(),
  domainId: z.uuid(),
  pattern: z.string(),
  action,
  host: z.string().nullable(),
  port: z.number().int().nullable(),
  tlsMode,
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type RouteView = z.infer<typeof routeView>;

export const routePage = pageSchema(routeView);
