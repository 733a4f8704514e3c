import type { BillingPlan } from '../../api/types';
import { formatBytes, formatNumber } from '../../components/format';
import { formatPrice } from './billing-words';

interface PlanTableProps {
  plans: BillingPlan[];
  currentPlanId: string;
  /** Whether this visitor may start a checkout now: the owner, billing set up, no subscription holding the team. */
  canChoose: boolean;
  /** The plan whose checkout is being opened; every button waits meanwhile. */
  choosing: string | null;
  onChoose(planId: string): void;
}

/** Every plan on offer with its limits; a plan is chosen here and paid for on Stripe's checkout page. */
export function PlanTable({ plans, currentPlanId, canChoose, choosing, onChoose }: PlanTableProps) {
  return (
    <div className="table-wrap">
      <table className="plans">
        <thead>
          <tr>
            <th scope="col">Plan</th>
            <th scope="col">Price a month</th>
            <th scope="col">Recipients a day</th>
            <th scope="col">Recipients a month</th>
            <th scope="col">Recipients a minute</th>
            <th scope="col">Largest message</th>
            <th scope="col"><span className="visually-hidden">Choose</span></th>
          </tr>
        </thead>
        <tbody>
          {plans.map((plan) => {
            const current = plan.id === currentPlanId;
            return (
              <tr key={plan.id} aria-current={current ? 'true' : undefined}>
                <th scope="row">{plan.name}</th>
                <td data-label="Price a month">{formatPrice(plan.priceCents, plan.currency)}</td>
                <td data-label="Recipients a day">{formatNumber(plan.limits.messagesPerDay)}</td>
                <td data-label="Recipients a month">{formatNumber(plan.limits.messagesPerMonth)}</td>
                <td data-label="Recipients a minute">{formatNumber(plan.limits.messagesPerMinute)}</td>
                <td data-label="Largest message">{formatBytes(plan.limits.maxMessageBytes)}</td>
                <td>
                  {current ? (
                    <span className="badge badge-good">Current plan</span>
                  ) : (
                    canChoose &&
                    plan.purchasable && (
                      <button type="button" className="button-small" disabled={choosing !== null} onClick={() => onChoose(plan.id)}>
                        {choosing === plan.id ? `Opening checkout for ${plan.name}…` : `Choose ${plan.name}`}
                      </button>
                    )
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
