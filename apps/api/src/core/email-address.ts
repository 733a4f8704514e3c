import { parseAddress } from '@smarthost/relay-policy';
import { z } from 'zod';

/**
 * An email address in the relay's normal form (lowercase, A-label domain), refused with the reason when it is one
 * the relay would refuse (percent hacks, quoted local parts, IP literals…), so what is stored is what relays match.
 */
export const normalizedEmailAddress = z
  .string()
  .max(254)
  .transform((value, ctx) => {
    const parsed = parseAddress(value.trim());
    if (parsed.ok) return parsed.address.normalized;
    ctx.addIssue({ code: 'custom', message: `must be a plain email address (${parsed.reason})` });
    return z.NEVER;
  });
