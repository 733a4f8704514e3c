import { unwrap } from '../../api/client';
import type { BillingView } from '../../api/types';
import { Badge } from '../../components/Badge';
import { FormError } from '../../components/FormError';
import { LimitsList } from '../../components/Limits';
import { Section } from '../../components/Page';
import { Quota } from '../../components/Quota';
import { ErrorState, Loading } from '../../components/States';
import { useTenantQuery } from '../../session/tenant-query';
import { formatPrice, subscriptionWords } from './billing-words';

interface CurrentPlanProps {
  billing: BillingView;
  /** Whether this visitor can open the Stripe billing portal (the owner, with a billing account). */
  canManage: boolean;
  managing: boolean;
  manageError: unknown;
  onManage(): void;
}

/** The plan the team is on, what its subscription is doing, and this month's sending against the plan. */
export function CurrentPlanSection({ billing, canManage, managing, manageError, onManage }: CurrentPlanProps) {
  // The limits enforced now (an operator may have raised them above the plan's), with this month's usage.
  const tenant = useTenantQuery(['tenant'], (api) => unwrap(api.GET('/v1/tenant')));
  const { plan, subscription } = billing;
  const price = formatPrice(plan.priceCents, plan.currency);
  const fix = canManage ? 'Update the payment method with “Manage billing”' : 'Ask the team’s owner to update the payment method';
  return (
    <Section
      title="Your plan"
      actions={
        canManage && (
          <button type="button" className="button-secondary" disabled={managing} onClick={onManage}>
            {managing ? 'Opening billing…' : 'Manage billing'}
          </button>
        )
      }
    >
      <FormError error={manageError} />
      <p className="plan-summary">
        <strong>{plan.name}</strong> · {price === 'Free' ? 'no charge' : `${price} a month`}
      </p>
      <p>
        {subscription && <Badge status={subscription.status} />} {subscriptionWords(subscription, plan.name)}
      </p>
      {subscription?.status === 'past_due' && (
        <div className="alert alert-warn">
          <p>Stripe could not take the last payment and will try again over the next days. {fix} so that sending is not paused.</p>
        </div>
      )}
      {subscription?.status === 'unpaid' && (
        <div className="alert alert-error">
          <p>Stripe has stopped retrying the payment, so sending is paused: mail submitted now is refused. {fix}, or pay the open invoice; sending resumes once Stripe confirms the payment.</p>
        </div>
      )}
      {tenant.isPending && <Loading what="usage" />}
      {tenant.isError && <ErrorState error={tenant.error} retry={() => tenant.refetch()} />}
      {tenant.data && (
        <>
          <Quota label="Recipients this month" used={tenant.data.usage.month.recipients} limit={tenant.data.limits.messagesPerMonth} />
          <LimitsList tenant={tenant.data} plan={plan.limits} />
        </>
      )}
    </Section>
  );
}
