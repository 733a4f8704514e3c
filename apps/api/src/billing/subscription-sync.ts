import type { Prisma } from '@smarthost/db';
import type Stripe from 'stripe';
import { AppError } from '../core/app-error';
import { updateTenantPolicy } from '../tenants/tenant-policy';
import { billingDecision, tenantUpdate } from './billing-state';

/**
 * Writes Stripe's current view of one subscription and what it means for the tenant (plan, billing pause), in the
 * caller's transaction. The tenant row is locked first, so two events for one tenant apply one after the other.
 * Returns false when the customer is not one of ours (another product on the same Stripe account).
 */
export async function syncSubscription(tx: Prisma.TransactionClient, subscription: Stripe.Subscription, prices: Record<string, string>): Promise<boolean> {
  const customerId = typeof subscription.customer === 'string' ? subscription.customer : subscription.customer.id;
  const customer = await tx.stripeCustomer.findUnique({ where: { stripeCustomerId: customerId } });
  if (!customer) return false;
  const tenantId = customer.tenantId;
  await tx.$queryRaw`SELECT 1 FROM tenants WHERE id = ${tenantId}::uuid FOR UPDATE`;
  const item = subscription.items.data[0];
  const planId = item && Object.keys(prices).find((id) => prices[id] === item.price.id);
  if (!planId) throw AppError.invalid('data.object.items', `subscription ${subscription.id} is for a price no plan is sold at`);
  const row = {
    tenantId,
    planId,
    status: subscription.status,
    currentPeriodEnd: item.current_period_end ? new Date(item.current_period_end * 1000) : null,
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
  };
  await tx.subscription.upsert({ where: { stripeSubscriptionId: subscription.id }, create: { stripeSubscriptionId: subscription.id, ...row }, update: row });
  await applyDecision(tx, tenantId, subscription);
  return true;
}

async function applyDecision(tx: Prisma.TransactionClient, tenantId: string, subscription: Stripe.Subscription): Promise<void> {
  const subscriptions = await tx.subscription.findMany({ where: { tenantId }, select: { planId: true, status: true, createdAt: true } });
  const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { planId: true, status: true, statusReason: true } });
  const update = tenantUpdate(tenant, billingDecision(subscriptions));
  if (!update) return;
  await updateTenantPolicy(tx, tenantId, update);
  await tx.auditLog.create({
    data: {
      tenantId,
      action: update.planId ? 'plan.changed' : 'tenant.status_changed',
      targetType: 'tenant',
      targetId: tenantId,
      metadata: { by: 'billing', subscription: subscription.id, subscriptionStatus: subscription.status, from: tenant, to: { ...update } },
    },
  });
}
