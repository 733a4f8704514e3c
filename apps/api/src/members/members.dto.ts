import { z } from 'zod';
import { email } from '../auth/passwords';
import { myTenantSchema } from '../tenants/tenants.dto';

export const role = z.enum(['owner', 'admin', 'developer', 'viewer']);

export const memberSchema = z.object({
  id: z.uuid(),
  userId: z.uuid(),
  email: z.string(),
  name: z.string(),
  role,
  createdAt: z.iso.datetime(),
});
export type MemberView = z.infer<typeof memberSchema>;
export const membersResponse = z.object({ items: z.array(memberSchema) });

export const changeRoleBody = z.strictObject({ role });
export type ChangeRoleBody = z.infer<typeof changeRoleBody>;

export const inviteBody = z.strictObject({ email, role });
export type InviteBody = z.infer<typeof inviteBody>;

export const invitationSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  role,
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
});
export type InvitationView = z.infer<typeof invitationSchema>;
export const invitationsResponse = z.object({ items: z.array(invitationSchema) });
/** The accept URL carries the token and is shown once; only its digest is stored. */
export const createdInvitationSchema = invitationSchema.extend({ acceptUrl: z.url() });

export const acceptBody = z.strictObject({ token: z.string().min(1).max(200) });
export type AcceptBody = z.infer<typeof acceptBody>;
export const acceptResponse = z.object({ tenant: myTenantSchema });
