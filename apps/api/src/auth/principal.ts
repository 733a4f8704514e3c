import type { Role } from '@smarthost/db';

export type Actor = { kind: 'user'; userId: string; sessionId: string } | { kind: 'apiKey'; apiKeyId: string };

/** Who is calling, resolved by the auth guard. A user is not yet bound to a tenant; an API key always is. */
export type Principal =
  | { kind: 'user'; userId: string; sessionId: string; csrfDigest: string }
  | { kind: 'apiKey'; apiKeyId: string; tenantId: string; role: Role };

/**
 * What a tenant-scoped service method needs: services take this, never a bare tenant id from the request,
 * so a query cannot be written without the caller's tenant.
 */
export interface TenantContext {
  readonly tenantId: string;
  readonly role: Role;
  readonly actor: Actor;
  readonly ip: string | undefined;
}
