import type { Plan, Tenant } from '@smarthost/db';
import type { TenantLimits } from '@smarthost/relay-policy';

export type LimitOverrides = { [K in keyof TenantLimits]: number | null };

type OverrideColumns = Pick<
  Tenant,
  | 'messagesPerDayOverride'
  | 'messagesPerMonthOverride'
  | 'messagesPerMinuteOverride'
  | 'recipientsPerMessageOverride'
  | 'maxMessageBytesOverride'
>;

export function limitOverrides(tenant: OverrideColumns): LimitOverrides {
  return {
    messagesPerDay: tenant.messagesPerDayOverride,
    messagesPerMonth: tenant.messagesPerMonthOverride,
    messagesPerMinute: tenant.messagesPerMinuteOverride,
    recipientsPerMessage: tenant.recipientsPerMessageOverride,
    maxMessageBytes: tenant.maxMessageBytesOverride,
  };
}

/** What the relay enforces: each of the plan's limits unless the tenant has an override for it (null = none). */
export function effectiveLimits(plan: TenantLimits, tenant: OverrideColumns): TenantLimits {
  const overrides = limitOverrides(tenant);
  return {
    messagesPerDay: overrides.messagesPerDay ?? plan.messagesPerDay,
    messagesPerMonth: overrides.messagesPerMonth ?? plan.messagesPerMonth,
    messagesPerMinute: overrides.messagesPerMinute ?? plan.messagesPerMinute,
    recipientsPerMessage: overrides.recipientsPerMessage ?? plan.recipientsPerMessage,
    maxMessageBytes: overrides.maxMessageBytes ?? plan.maxMessageBytes,
  };
}

export function planLimits(plan: Plan): TenantLimits {
  return {
    messagesPerDay: plan.messagesPerDay,
    messagesPerMonth: plan.messagesPerMonth,
    messagesPerMinute: plan.messagesPerMinute,
    recipientsPerMessage: plan.recipientsPerMessage,
    maxMessageBytes: plan.maxMessageBytes,
  };
}
