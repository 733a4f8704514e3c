import type { CredentialPolicy, TenantPolicy } from './contract';
import { refuse, type Refusal } from './refusals';

/** Messages already accepted in each window, before the one being decided (counted by the relay in Redis). */
export interface UsageCounts {
  day: number;
  month: number;
  tenantMinute: number;
  credentialMinute: number;
}

/**
 * Null when one more message fits. Exhausted day/month quotas are 452 (the client should hold the mail, not
 * hammer); per-minute rates are 451 so it simply retries a little later.
 */
export function checkQuota(tenant: TenantPolicy, credential: CredentialPolicy, usage: UsageCounts): Refusal | null {
  if (usage.month >= tenant.limits.messagesPerMonth) return refuse('quota_monthly_exhausted');
  if (usage.day >= tenant.limits.messagesPerDay) return refuse('quota_daily_exhausted');
  if (usage.tenantMinute >= tenant.limits.messagesPerMinute) return refuse('rate_limited');
  if (credential.ratePerMinute !== null && usage.credentialMinute >= credential.ratePerMinute) {
    return refuse('rate_limited');
  }
  return null;
}

/** Null when a message of `bytes` octets is within the tenant's limit (also what the relay announces in SIZE). */
export function checkMessageSize(tenant: TenantPolicy, bytes: number): Refusal | null {
  return bytes > tenant.limits.maxMessageBytes ? refuse('message_too_large') : null;
}
