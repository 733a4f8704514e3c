import { z } from 'zod';

export const bounceRateView = z.object({
  /** Counted since the later of 24 hours ago and the tenant's last status change, as the guard counts them. */
  delivered: z.number().int(),
  bounced: z.number().int(),
  /** bounced / (delivered + bounced); null before the first outcome. */
  bounceRate: z.number().nullable(),
  /** The rate at which sending is paused; 0 when the guard is off. */
  pauseRate: z.number(),
  /** Messages needed before the rate is judged. */
  minMessages: z.number().int(),
});
export type BounceRateView = z.infer<typeof bounceRateView>;
