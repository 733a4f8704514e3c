import type { TenantView } from '../../api/types';
import { formatNumber } from '../../components/format';
import { Section } from '../../components/Page';
import { Quota } from '../../components/Quota';

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
