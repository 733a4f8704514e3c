import { useId } from 'react';
import type { TenantView } from '../../api/types';
import { formatNumber } from '../../components/format';
import { Section } from '../../components/Page';

function Quota({ label, used, limit }: { label: string; used: number; limit: number }) {
  const id = useId();
  return (
    <div className="quota">
      <div className="quota-head">
        <span id={id}>{label}</span>
        <span>
          {formatNumber(used)} of {formatNumber(limit)}
        </span>
      </div>
      <meter aria-labelledby={id} min={0} max={limit} value={Math.min(used, limit)} low={limit * 0.8} high={limit * 0.95} optimum={0} />
    </div>
  );
}

export function QuotaSection({ tenant }: { tenant: TenantView }) {
  return (
    <Section title="Usage">
      {tenant.status !== 'active' && (
        <p className="alert alert-error">
          Sending is {tenant.status}
          {tenant.statusReason ? `: ${tenant.statusReason}` : ''}. Mail submitted now is refused.
        </p>
      )}
      <Quota label="Sent today" used={tenant.usage.today.messages} limit={tenant.limits.messagesPerDay} />
      <Quota label="Sent this month" used={tenant.usage.month.messages} limit={tenant.limits.messagesPerMonth} />
      <p className="muted small">
        Plan: {tenant.plan.name}. At most {formatNumber(tenant.limits.messagesPerMinute)} messages a minute and {formatNumber(tenant.limits.recipientsPerMessage)} recipients a message.
      </p>
    </Section>
  );
}
