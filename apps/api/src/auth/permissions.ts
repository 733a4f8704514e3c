import type { Role } from '@smarthost/db';

/**
 * Every route declares one permission; this table is the only place that says which role holds it.
 * Reading is open to every member; changing what relays mail needs developer or above; people and money need admin.
 */
export const PERMISSIONS = {
  'tenant:read': ['owner', 'admin', 'developer', 'viewer'],
  'tenant:write': ['owner', 'admin'],
  'members:read': ['owner', 'admin', 'developer', 'viewer'],
  'members:write': ['owner', 'admin'],
  'apiKeys:read': ['owner', 'admin', 'developer'],
  'apiKeys:write': ['owner', 'admin'],
  'domains:read': ['owner', 'admin', 'developer', 'viewer'],
  'domains:write': ['owner', 'admin', 'developer'],
  'credentials:read': ['owner', 'admin', 'developer', 'viewer'],
  'credentials:write': ['owner', 'admin', 'developer'],
  'routes:read': ['owner', 'admin', 'developer', 'viewer'],
  'routes:write': ['owner', 'admin', 'developer'],
  'suppressions:read': ['owner', 'admin', 'developer', 'viewer'],
  'suppressions:write': ['owner', 'admin', 'developer'],
  'messages:read': ['owner', 'admin', 'developer', 'viewer'],
  'billing:read': ['owner', 'admin'],
  'billing:write': ['owner'],
  'audit:read': ['owner', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function roleHas(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
