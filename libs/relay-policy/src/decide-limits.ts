import type { CredentialPolicy, InboundLimits, TenantPolicy } from './contract';
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

/** A tenant's inbound usage today and its bytes queued for its server, before the message being decided. */
export interface InboundUsage {
  messagesToday: number;
  bytesToday: number;
  backlogBytes: number;
}

/**
 * Null when one more inbound message of `bytes` octets fits the tenant's inbound limits (RCPT asks with 0 bytes:
 * is there room at all). Both are temporary (452): the day ends, the customer's server comes back.
 */
export function checkInboundQuota(limits: InboundLimits, usage: InboundUsage, bytes: number): Refusal | null {
  if (usage.messagesToday + 1 > limits.messagesPerDay) return refuse('inbound_quota_exhausted', 'messages per day');
  if (usage.bytesToday + Math.max(bytes, 1) > limits.bytesPerDay) return refuse('inbound_quota_exhausted', 'bytes per day');
  if (usage.backlogBytes + Math.max(bytes, 1) > limits.backlogBytes) return refuse('inbound_backlog_full');
  return null;
}
