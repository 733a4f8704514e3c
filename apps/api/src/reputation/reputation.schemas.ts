import { z } from 'zod';

export const bounceRateView = z.object({
  /** Counted since the later of 24 hours ago and the tenant's last status change, as the guard counts them. */
  delivered: z.number().int(),
  bounced: z.number().int(),
  /** bounced / (delivered + bounced); null before the first outcome. */
  bounceRate: z.number().nullable(),
  /** The bounce rate at which sending is paused; 0 when that rule is off. */
  pauseRate: z.number(),
  /** Messages needed before the bounce rate is judged. */
  minMessages: z.number().int(),
  /** Spam complaints (feedback loops) in the same window. */
  complained: z.number().int(),
  /** complained / delivered; null before the first delivery. */
  complaintRate: z.number().nullable(),
  /** The complaint rate at which sending is paused; 0 when that rule is off. */
  complaintPauseRate: z.number(),
  /** Delivered messages needed before the complaint rate is judged. */
  minDelivered: z.number().int(),
});
export type BounceRateView = z.infer<typeof bounceRateView>;
