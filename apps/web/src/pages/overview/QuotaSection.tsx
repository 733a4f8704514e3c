import type { TenantView } from '../../api/types';
import { LimitsList } from '../../components/Limits';
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
      <Quota label="Recipients today" used={tenant.usage.today.recipients} limit={tenant.limits.messagesPerDay} />
      <Quota label="Recipients this month" used={tenant.usage.month.recipients} limit={tenant.limits.messagesPerMonth} />
      <p className="muted small">Plan: {tenant.plan.name}. Each recipient of a message counts once against these limits.</p>
      <LimitsList tenant={tenant} />
    </Section>
  );
}
