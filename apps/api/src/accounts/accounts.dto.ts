import { z } from 'zod';
import { email, newPassword } from '../auth/passwords';
import { myTenantSchema, tenantName } from '../tenants/tenants.dto';

export const signupBody = z.strictObject({
  email,
  password: newPassword,
  name: z.string().trim().min(1, { message: 'must not be empty' }).max(100),
  tenantName,
});
export type SignupBody = z.infer<typeof signupBody>;

/** Log-in takes any password up to the bound: the length rules apply to new passwords, not to old accounts. */
export const loginBody = z.strictObject({ email, password: z.string().min(1).max(256) });
export type LoginBody = z.infer<typeof loginBody>;

export const changePasswordBody = z.strictObject({ currentPassword: z.string().min(1).max(256), newPassword });
export type ChangePasswordBody = z.infer<typeof changePasswordBody>;

export const userSchema = z.object({ id: z.uuid(), email: z.string(), name: z.string() });
export type UserView = z.infer<typeof userSchema>;

export const meResponse = z.object({ user: userSchema, tenants: z.array(myTenantSchema) });
export const sessionResponse = meResponse.extend({ csrfToken: z.string() });
export type MeResponse = z.infer<typeof meResponse>;
