import { ConfigError, decodeKey, secretKey } from '@smarthost/config';
import { parseDomain, type ReturnPathKeyring } from '@smarthost/relay-policy';
import { z } from 'zod';

const keyId = z.string().regex(/^[0-9a-z]$/, 'must be one lower-case letter or digit');
const optional = <T extends z.ZodType>(schema: T) => z.union([z.literal(''), schema]).default('');

const domainList = z
  .string()
  .default('')
  .transform((value, ctx) => {
    const domains: string[] = [];
    for (const entry of value.split(/[\s,]+/).filter((e) => e !== '')) {
      const parsed = parseDomain(entry);
      if (parsed.ok) domains.push(parsed.domain);
      else ctx.addIssue({ code: 'custom', message: `"${entry}" is not a domain name` });
    }
    return domains;
  });

/**
 * What makes reports unforgeable (ADR 0006): the return-path MAC keys, which every relay node and delivery worker
 * must share, the feedback-loop providers whose signed complaints count, and the report size cap.
 */
export const reportsConfigSchema = z.object({
  /** Secret: signs every return path (VERP MAC). The same on every node and worker. Never logged. */
  RETURN_PATH_KEY: secretKey(32),
  RETURN_PATH_KEY_ID: keyId.default('1'),
  /** Secret: the key before the last rotation, accepted (never used to sign) until RETURN_PATH_PREVIOUS_KEY_UNTIL. */
  RETURN_PATH_PREVIOUS_KEY: optional(secretKey(32)),
  RETURN_PATH_PREVIOUS_KEY_ID: optional(keyId),
  RETURN_PATH_PREVIOUS_KEY_UNTIL: optional(z.iso.datetime({ offset: true })),
  /**
   * DKIM signing domains (d=) of the feedback loops the relay is registered with. A complaint counts only when one
   * of them (or a subdomain) signed it; every other complaint is kept as unverified and counts for nothing.
   */
  FEEDBACK_PROVIDER_DOMAINS: domainList,
  /** A bounce or complaint larger than this is refused 552 5.3.4 (counted while it streams, never buffered). */
  REPORT_MAX_BYTES: z.coerce.number().int().min(4096).max(50 * 1024 * 1024).default(256 * 1024),
  /** The whole DKIM check of a complaint, DNS included; past it the provider gets 451 4.4.3 and retries. */
  REPORT_DKIM_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(120).default(10),
});

export type ReportsConfig = z.infer<typeof reportsConfigSchema>;
export type ReturnPathKeyConfig = Pick<
  ReportsConfig,
  'RETURN_PATH_KEY' | 'RETURN_PATH_KEY_ID' | 'RETURN_PATH_PREVIOUS_KEY' | 'RETURN_PATH_PREVIOUS_KEY_ID' | 'RETURN_PATH_PREVIOUS_KEY_UNTIL'
>;

/** The return-path keyring; a previous key needs its id and the end of its overlap, and a different id. */
export function returnPathKeyring(config: ReturnPathKeyConfig): ReturnPathKeyring {
  const current = { id: config.RETURN_PATH_KEY_ID, secret: decodeKey(config.RETURN_PATH_KEY) as Buffer };
  const { RETURN_PATH_PREVIOUS_KEY: key, RETURN_PATH_PREVIOUS_KEY_ID: id, RETURN_PATH_PREVIOUS_KEY_UNTIL: until } = config;
  if (key === '' && id === '' && until === '') return { current, previous: null };
  if (key === '' || id === '' || until === '') {
    throw new ConfigError(['RETURN_PATH_PREVIOUS_KEY/RETURN_PATH_PREVIOUS_KEY_ID/RETURN_PATH_PREVIOUS_KEY_UNTIL: set all three or none']);
  }
  if (id === current.id) throw new ConfigError(['RETURN_PATH_PREVIOUS_KEY_ID: must differ from RETURN_PATH_KEY_ID']);
  return { current, previous: { id, secret: decodeKey(key) as Buffer, until: Date.parse(until) } };
}
