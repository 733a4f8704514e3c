export interface Outcomes {
  delivered: number;
  bounced: number;
}

export interface BounceRule {
  /** Bounced share of delivered + bounced at or above which sending is paused; 0 turns the guard off. */
  pauseRate: number;
  /** Outcomes needed before the share means anything: three bounces of the first five messages are not a pattern. */
  minMessages: number;
}

/**
 * The reason to pause a tenant's sending, or null. A high hard-bounce rate means a bought, scraped or stale list, the
 * fastest way for a shared relay's addresses to land on blocklists (mailbox providers and SES act at 5–10%).
 */
export function bouncePauseReason(outcomes: Outcomes, rule: BounceRule): string | null {
  const total = outcomes.delivered + outcomes.bounced;
  if (rule.pauseRate <= 0 || total < rule.minMessages) return null;
  const rate = outcomes.bounced / total;
  if (rate < rule.pauseRate) return null;
  const percent = (rate * 100).toFixed(1);
  return `bounce rate ${percent}% (${outcomes.bounced} of ${total} messages in the last 24 hours): remove the addresses that bounce, then ask support to resume sending`;
}
