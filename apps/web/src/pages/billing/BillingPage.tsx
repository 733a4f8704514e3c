import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { ApiError } from '../../api/api-error';
import { unwrap } from '../../api/client';
import type { BillingView } from '../../api/types';
import { FormError } from '../../components/FormError';
import { Page, Section } from '../../components/Page';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { BILLING_READERS, tenantKey, useCanWrite, useCurrentTenant, useTenantMutation, useTenantQuery } from '../../session/tenant-query';
import { billingActionError, isHolding } from './billing-words';
import { CheckoutNotice } from './CheckoutNotice';
import { CurrentPlanSection } from './CurrentPlanSection';
import { PlanTable } from './PlanTable';

/** Stripe's webhook usually lands within a second or two of the redirect back; past this, the page stops asking. */
export const WEBHOOK_POLL_MS = 1_000;
export const WEBHOOK_WAIT_MS = 30_000;

export function BillingPage() {
  const { tenant } = useCurrentTenant();
  if (!BILLING_READERS.includes(tenant.role)) {
    return (
      <Page title="Billing">
        <p>Only the team’s owner and admins can see the plan and billing.</p>
      </Page>
    );
  }
  return <BillingContent />;
}

/** Where Stripe sends the browser back to: `?checkout=success|canceled`, read once and then taken off the address. */
function useCheckoutOutcome(): 'success' | 'canceled' | null {
  const [params, setParams] = useSearchParams();
  const [outcome] = useState<'success' | 'canceled' | null>(() => {
    const value = params.get('checkout');
    return value === 'success' || value === 'canceled' ? value : null;
  });
  // Off the address, a reload or a bookmark does not claim a payment again, and a team switch (which remounts the
  // page) does not show this team's notice for the other.
  useEffect(() => {
    if (params.has('checkout')) setParams({}, { replace: true });
  }, [params, setParams]);
  return outcome;
}

function BillingContent() {
  const { tenantId } = useCurrentTenant();
  const queryClient = useQueryClient();
  const canChange = useCanWrite('billing');
  const outcome = useCheckoutOutcome();
  const paid = outcome === 'success';
  const [waitedTooLong, setWaitedTooLong] = useState(false);
  const billing = useTenantQuery(['billing'], (api) => unwrap(api.GET('/v1/billing')), {
    // The plan changes when Stripe's signed webhook reaches the API, not on the redirect: ask until it has.
    refetchInterval: (query) => (paid && !waitedTooLong && !isHolding(query.state.data?.subscription) ? WEBHOOK_POLL_MS : false),
  });
  const updated = paid && isHolding(billing.data?.subscription);

  useEffect(() => {
    if (!paid || updated) return;
    const timer = setTimeout(() => setWaitedTooLong(true), WEBHOOK_WAIT_MS);
    return () => clearTimeout(timer);
  }, [paid, updated]);
  useEffect(() => {
    // The usage meter's limit is the new plan's from now on.
    if (updated) void queryClient.invalidateQueries({ queryKey: tenantKey(tenantId, 'tenant') });
  }, [updated, queryClient, tenantId]);

  const checkout = useTenantMutation((api, planId: string) => unwrap(api.POST('/v1/billing/checkout', { body: { planId } })));
  const portal = useTenantMutation((api) => unwrap(api.POST('/v1/billing/portal')));
  const leaveFor = ({ url }: { url: string }) => window.location.assign(url);
  const choose = (planId: string) =>
    checkout.mutate(planId, {
      onSuccess: leaveFor,
      // Another checkout finished meanwhile (another tab, another owner): show the subscription that now exists.
      onError: (error) => {
        if (error instanceof ApiError && error.status === 409) void billing.refetch();
      },
    });

  return (
    <Page title="Billing" intro="The team’s plan and what it allows. Payments are handled by Stripe.">
      {outcome && <CheckoutNotice outcome={outcome} updated={updated} waitedTooLong={waitedTooLong} planName={billing.data?.plan.name} />}
      {billing.isPending && <Loading what="billing" />}
      {billing.isError && <ErrorState error={billing.error} retry={() => billing.refetch()} />}
      {billing.data && (
        <>
          {!billing.data.enabled && (
            <div className="alert alert-info">
              <p>Billing is not set up on this installation, so plans are changed by the operator. Ask them to move the team to another plan.</p>
            </div>
          )}
          <CurrentPlanSection
            billing={billing.data}
            canManage={canChange && billing.data.enabled && billing.data.hasBillingAccount}
            managing={portal.isPending || portal.isSuccess}
            manageError={billingActionError(portal.error)}
            onManage={() => portal.mutate(undefined, { onSuccess: leaveFor })}
          />
          <Section title="Plans">
            <FormError error={billingActionError(checkout.error)} />
            {billing.data.plans.length === 0 ? (
              <EmptyState title="No plans are on offer.">Ask the operator of this installation which plans they offer.</EmptyState>
            ) : (
              <PlanTable
                plans={billing.data.plans}
                currentPlanId={billing.data.plan.id}
                canChoose={canChange && billing.data.enabled && !isHolding(billing.data.subscription)}
                choosing={checkout.isPending || checkout.isSuccess ? (checkout.variables ?? null) : null}
                onChoose={choose}
              />
            )}
            <p className="muted small">{planNote(billing.data, canChange)}</p>
          </Section>
        </>
      )}
    </Page>
  );
}

function planNote(billing: BillingView, canChange: boolean): string {
  if (!billing.enabled) return 'Prices and limits of the plans this installation offers.';
  if (!canChange) return 'Only the team’s owner can change the plan or the payment details.';
  if (isHolding(billing.subscription)) return 'To switch plan or cancel, use “Manage billing”: Stripe keeps the payment details and invoices.';
  const buyable = billing.plans.some((plan) => plan.purchasable && plan.id !== billing.plan.id);
  if (!buyable) return 'No other plan can be bought online here; the operator can change the plan.';
  return 'You pay on Stripe’s checkout page; the new plan applies as soon as Stripe confirms the payment.';
}
