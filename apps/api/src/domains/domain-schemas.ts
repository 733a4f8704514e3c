import { type DomainNameError, isPublicSuffix, normalizeDomain } from '@smarthost/dns';
import { z } from 'zod';

const NAME_ERRORS: Record<DomainNameError, string> = {
  empty: 'must not be empty',
  'invalid-character': 'may contain only letters, digits, hyphens and dots (IP literals are not domains)',
  'invalid-idn': 'is not a valid internationalised domain name',
  'too-long': 'must be at most 253 characters',
  'empty-label': 'must not contain empty labels',
  'label-too-long': 'labels must be at most 63 characters',
  'invalid-label': 'labels must be letters, digits and inner hyphens',
  'single-label': 'must have at least two labels',
  'numeric-tld': 'must end in a non-numeric top-level domain (IP addresses are not domains)',
};

/**
 * A domain as the customer typed it, turned into the one form we store and compare (punycode, lower case, no
 * trailing dot), so one domain cannot be added twice under two spellings. Public suffixes are refused: whoever
 * verified `co.uk` would be authorised to send as everyone under it.
 */
export const domainNameInput = z
  .string()
  .max(300, { message: 'must be at most 253 characters' })
  .transform((input, ctx) => {
    const result = normalizeDomain(input);
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', message: NAME_ERRORS[result.reason] });
      return z.NEVER;
    }
    if (isPublicSuffix(result.domain)) {
      ctx.addIssue({ code: 'custom', message: 'is a public suffix; add a domain registered under it' });
      return z.NEVER;
    }
    return result.domain;
  });

export const createDomainBody = z.strictObject({ name: domainNameInput });
export const inboundDmarcMode = z.enum(['enforce', 'mark']);

export const updateDomainBody = z
  .strictObject({
    inboundEnabled: z.boolean().optional(),
    /**
     * Inbound mail failing its sender's DMARC p=reject policy: `enforce` refuses it (550 5.7.1), `mark` delivers it
     * with dmarc=fail in Authentication-Results for the customer's own filter.
     */
    inboundDmarc: inboundDmarcMode.optional(),
  })
  .refine((body) => body.inboundEnabled !== undefined || body.inboundDmarc !== undefined, {
    message: 'give inboundEnabled or inboundDmarc',
    path: ['inboundEnabled'],
  });

const recordStatus = z.enum(['pending', 'ok', 'missing', 'mismatch', 'error']);

export const dnsRecordView = z.object({
  id: z.string(),
  kind: z.enum(['ownership', 'spf', 'dkim', 'dmarc', 'return_path', 'mx']),
  host: z.string(),
  type: z.string(),
  value: z.string(),
  required: z.boolean(),
  status: recordStatus,
  seenValue: z.string().nullable(),
  detail: z.string().nullable(),
  lastCheckedAt: z.string().nullable(),
  lastOkAt: z.string().nullable(),
  /** Was ok once and is now missing or wrong: the customer changed DNS after verification. */
  drift: z.boolean(),
});

export const dkimKeyView = z.object({
  id: z.string(),
  selector: z.string(),
  algorithm: z.string(),
  publicKey: z.string(),
  status: z.enum(['pending', 'active', 'retiring', 'retired']),
  createdAt: z.string(),
  verifiedAt: z.string().nullable(),
  activatedAt: z.string().nullable(),
  retiredAt: z.string().nullable(),
});

export const domainSummary = z.object({
  id: z.string(),
  name: z.string(),
  unicodeName: z.string(),
  status: z.enum(['pending', 'verified', 'failed']),
  verifiedAt: z.string().nullable(),
  lastCheckedAt: z.string().nullable(),
  inboundEnabled: z.boolean(),
  inboundDmarc: inboundDmarcMode,
  createdAt: z.string(),
});

export const domainView = domainSummary.extend({
  drift: z.boolean(),
  records: z.array(dnsRecordView),
  dkimKeys: z.array(dkimKeyView),
  /** The records to publish, as master-file lines. */
  zone: z.array(z.string()),
});

export type DomainSummary = z.infer<typeof domainSummary>;
export type DomainView = z.infer<typeof domainView>;
