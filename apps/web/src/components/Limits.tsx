import type { TenantView } from '../api/types';
import { formatBytes, formatNumber } from './format';

type Limits = TenantView['limits'];
type LimitKey = keyof Limits;

/**
 * The relay reserves one unit of every sending quota per recipient (RCPT TO), so the limits are named for
 * recipients: a message to three people uses three.
 */
export const LIMIT_LABELS: Record<LimitKey, string> = {
  messagesPerDay: 'Recipients a day',
  messagesPerMonth: 'Recipients a month',
  messagesPerMinute: 'Recipients a minute',
  recipientsPerMessage: 'Recipients a message',
  maxMessageBytes: 'Largest message',
};

const KEYS = Object.keys(LIMIT_LABELS) as LimitKey[];

export const formatLimit = (key: LimitKey, value: number) => (key === 'maxMessageBytes' ? formatBytes(value) : formatNumber(value));

/** The limits an operator has set for this team in place of the plan's. */
export function overriddenLimits(tenant: TenantView): LimitKey[] {
  return KEYS.filter((key) => tenant.overrides[key] != null);
}

/**
 * The limits the relay enforces now (the tenant's effective limits), each marked when an operator's override
 * replaces the plan's value; with `plan` (Billing knows the plan's own limits) the plan's value is named too.
 */
export function LimitsList({ tenant, plan }: { tenant: TenantView; plan?: Limits }) {
  const overridden = new Set(overriddenLimits(tenant));
  return (
    <>
      <dl className="pairs limits">
        {KEYS.map((key) => (
          <div key={key}>
            <dt>{LIMIT_LABELS[key]}</dt>
            <dd>
              {formatLimit(key, tenant.limits[key])}
              {overridden.has(key) && (
                <span className="badge badge-wait override">{plan ? `set by an operator; plan: ${formatLimit(key, plan[key])}` : 'set by an operator'}</span>
              )}
            </dd>
          </div>
        ))}
      </dl>
      {overridden.size > 0 && <p className="muted small">An operator has set some limits for your team in place of the {tenant.plan.name} plan’s; those are the ones enforced.</p>}
    </>
  );
}
