export interface Outcomes {
  delivered: number;
  bounced: number;
  complained: number;
}

export interface PauseRules {
  /** Bounced share of delivered + bounced at or above which sending is paused; 0 turns the rule off. */
  bounceRate: number;
  /** Outcomes needed before the bounce share means anything: three bounces of the first five messages are not a pattern. */
  minMessages: number;
  /** Complaints per delivered message at or above which sending is paused; 0 turns the rule off. */
  complaintRate: number;
  /** Delivered messages needed before the complaint share means anything (one complaint in 300 is not 0.3%). */
  minDelivered: number;
}

/** The fewest delivered + bounced messages either rule needs: tenants below it cannot be paused. */
export function smallestSample(rules: PauseRules): number {
  return Math.min(rules.minMessages, rules.minDelivered);
}

/**
 * The reason to pause a tenant's sending, or null. A high hard-bounce rate means a bought, scraped or stale list (mailbox
 * providers and SES act at 5–10%); a high complaint rate means mail people did not ask for (Gmail and Yahoo require bulk
 * senders to stay under 0.3%). Either gets a shared relay's addresses blocklisted within hours.
 */
export function pauseReason(outcomes: Outcomes, rules: PauseRules): string | null {
  return bounceReason(outcomes, rules) ?? complaintReason(outcomes, rules);
}

function bounceReason(outcomes: Outcomes, rules: PauseRules): string | null {
  const total = outcomes.delivered + outcomes.bounced;
  if (rules.bounceRate <= 0 || total < rules.minMessages || outcomes.bounced / total < rules.bounceRate) return null;
  const percent = ((outcomes.bounced / total) * 100).toFixed(1);
  return `bounce rate ${percent}% (${outcomes.bounced} of ${total} messages in the last 24 hours): remove the addresses that bounce, then ask support to resume sending`;
}

function complaintReason(outcomes: Outcomes, rules: PauseRules): string | null {
  const delivered = outcomes.delivered;
  if (rules.complaintRate <= 0 || delivered < rules.minDelivered || outcomes.complained / delivered < rules.complaintRate) return null;
  const percent = ((outcomes.complained / delivered) * 100).toFixed(2);
  return `spam complaint rate ${percent}% (${outcomes.complained} of ${delivered} delivered messages in the last 24 hours): send only to people who asked for your mail, then ask support to resume sending`;
}
