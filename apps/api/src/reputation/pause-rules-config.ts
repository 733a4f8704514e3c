import type { ApiConfig } from '../config/api-config';
import type { PauseRules } from './pause-rules';

/** The guard's rules as this installation configures them. */
export function pauseRules(config: ApiConfig): PauseRules {
  return {
    bounceRate: config.REPUTATION_BOUNCE_PAUSE_RATE,
    minMessages: config.REPUTATION_MIN_MESSAGES,
    complaintRate: config.REPUTATION_COMPLAINT_PAUSE_RATE,
    minDelivered: config.REPUTATION_MIN_DELIVERED_FOR_COMPLAINTS,
  };
}
