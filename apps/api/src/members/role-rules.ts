import type { Role } from '@smarthost/db';

const RANK: Record<Role, number> = { owner: 3, admin: 2, developer: 1, viewer: 0 };

/** Whether `role` is at most `ceiling`: nobody hands out more power than they hold. */
export function roleAtMost(role: Role, ceiling: Role): boolean {
  return RANK[role] <= RANK[ceiling];
}

/**
 * Whether `actor` may move a member from `from` to `to` (`to` undefined: remove). Owner is special: only an owner
 * may make someone owner or touch an existing owner, so an admin cannot take a tenant over or lock its owners out.
 */
export function mayChangeMember(actor: Role, from: Role, to: Role | undefined): boolean {
  if (from === 'owner' || to === 'owner') return actor === 'owner';
  return to === undefined || roleAtMost(to, actor);
}
