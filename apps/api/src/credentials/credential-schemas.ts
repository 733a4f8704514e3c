import { z } from 'zod';
import { normalizedEmailAddress } from '../core/email-address';
import { int4, uuid } from '../core/input-schemas';
import { pageQuery, pageSchema } from '../core/pagination';
import { smtpSettingsView } from '../smtp-settings/smtp-settings';
import { canonicalIpRange } from './ip-ranges';

const name = z.string().trim().min(1).max(100);
const domainIds = z.array(uuid).max(100);

/** Syntax only here; whether the address lies in the credential's domains needs the database (credential-scope.ts). */
const sender = normalizedEmailAddress;

const ipRange = z
  .string()
  .max(64)
  .transform((value, ctx) => {
    const canonical = canonicalIpRange(value);
    if (canonical) return canonical;
    ctx.addIssue({ code: 'custom', message: 'must be an IPv4 or IPv6 address or CIDR block (e.g. 203.0.113.0/24)' });
    return z.NEVER;
  });

const scopeFields = {
  allDomains: z.boolean(),
  domainIds,
  allowedSenders: z.array(sender).max(100),
  ipAllowlist: z.array(ipRange).max(50),
  ratePerMinute: int4(1).max(1_000_000).nullable(),
};

export const createCredentialBody = z.strictObject({
  name,
  allDomains: scopeFields.allDomains.optional(),
  domainIds: scopeFields.domainIds.optional(),
  allowedSenders: scopeFields.allowedSenders.default([]),
  ipAllowlist: scopeFields.ipAllowlist.default([]),
  ratePerMinute: scopeFields.ratePerMinute.default(null),
});
export type CreateCredentialBody = z.infer<typeof createCredentialBody>;

export const updateCredentialBody = z
  .strictObject({
    name: name.optional(),
    allDomains: scopeFields.allDomains.optional(),
    domainIds: scopeFields.domainIds.optional(),
    allowedSenders: scopeFields.allowedSenders.optional(),
    ipAllowlist: scopeFields.ipAllowlist.optional(),
    ratePerMinute: scopeFields.ratePerMinute.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'must change at least one field' });
export type UpdateCredentialBody = z.infer<typeof updateCredentialBody>;

export const listCredentialsQuery = pageQuery.extend({ status: z.enum(['active', 'disabled']).optional() });
export type ListCredentialsQuery = z.infer<typeof listCredentialsQuery>;

export const credentialView = z.object({
  id: z.uuid(),
  name: z.string(),
  username: z.string(),
  status: z.enum(['active', 'disabled']),
  allDomains: z.boolean(),
  domainIds: z.array(z.uuid()),
  allowedSenders: z.array(z.string()),
  ipAllowlist: z.array(z.string()),
  ratePerMinute: z.number().int().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  rotatedAt: z.date().nullable(),
  lastUsedAt: z.date().nullable(),
  lastUsedIp: z.string().nullable(),
});
export type CredentialView = z.infer<typeof credentialView>;

/** GET /v1/smtp-settings plus this credential's username: everything a client needs next to the password. */
const credentialSmtpSettings = smtpSettingsView.extend({ username: z.string() });

/** The only responses that carry the password: right after create and rotate. */
export const credentialWithSecret = credentialView.extend({ password: z.string(), smtp: credentialSmtpSettings });
export type CredentialWithSecret = z.infer<typeof credentialWithSecret>;

export const credentialPage = pageSchema(credentialView);
