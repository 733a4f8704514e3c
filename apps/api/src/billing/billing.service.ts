import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Plan, PrismaClient } from '@smarthost/db';
import type Stripe from 'stripe';
import type { TenantContext } from '../auth/principal';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { AppError } from '../core/app-error';
import { PRISMA } from '../core/tokens';
import { PLAN_CURRENCY } from '../seed/plans';
import { planLimits } from '../tenants/limits';
import { HOLDING_STATUSES } from './billing-state';
import type { BillingView, CheckoutBody, RedirectView, SubscriptionStatus } from './billing.schemas';
import { STRIPE } from './stripe-client';

/**
 * What a tenant pays for, and the two ways to change it: Stripe Checkout to start a subscription, the Stripe billing
 * portal for everything after (payment method, invoices, plan change, cancel). The plan itself changes only when
 * Stripe's signed webhook says so (StripeWebhookService), never on the customer's word.
 */
@Injectable()
export class BillingService {
  constructor(
    @Inject(STRIPE) private readonly stripe: Stripe | null,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
  ) {}

  async overview(context: TenantContext): Promise<BillingView> {
    const [tenant, plans, customer, subscriptions] = await Promise.all([
      this.prisma.tenant.findUniqueOrThrow({ where: { id: context.tenantId }, include: { plan: true } }),
      this.prisma.plan.findMany({ where: { active: true }, orderBy: { priceCents: 'asc' } }),
      this.prisma.stripeCustomer.findUnique({ where: { tenantId: context.tenantId } }),
      this.prisma.subscription.findMany({ where: { tenantId: context.tenantId }, orderBy: { createdAt: 'desc' } }),
    ]);
    const current = subscriptions.find((s) => HOLDING_STATUSES.includes(s.status)) ?? subscriptions[0];
    return {
      enabled: this.stripe !== null,
      plan: this.planView(tenant.plan),
      subscription: current
        ? {
            status: current.status as SubscriptionStatus,
            planId: current.planId,
            currentPeriodEnd: current.currentPeriodEnd?.toISOString() ?? null,
            cancelAtPeriodEnd: current.cancelAtPeriodEnd,
          }
        : null,
      hasBillingAccount: customer !== null,
      plans: plans.map((plan) => this.planView(plan)),
    };
  }

  async checkout(context: TenantContext, body: CheckoutBody): Promise<RedirectView> {
    const stripe = this.requireStripe();
    const plan = await this.prisma.plan.findUnique({ where: { id: body.planId } });
    const price = this.config.STRIPE_PRICES[body.planId];
    if (!plan?.active || !price) throw AppError.invalid('body.planId', `no plan "${body.planId}" is sold here`);
    const holding = await this.prisma.subscription.findFirst({ where: { tenantId: context.tenantId, status: { in: HOLDING_STATUSES } } });
    if (holding) throw new AppError('conflict', 'this tenant already has a subscription: change or cancel it in the billing portal');
    const customer = await this.ensureCustomer(stripe, context.tenantId);
    const metadata = { tenantId: context.tenantId, planId: plan.id };
    const session = await callStripe(() =>
      stripe.checkout.sessions.create({
        mode: 'subscription',
        customer,
        line_items: [{ price, quantity: 1 }],
        client_reference_id: context.tenantId,
        metadata,
        subscription_data: { metadata },
        success_url: `${this.config.PUBLIC_URL}/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
        cancel_url: `${this.config.PUBLIC_URL}/billing?checkout=canceled`,
      }),
    );
    if (!session.url) throw new AppError('unavailable', 'Stripe returned a checkout session without a URL');
    return { url: session.url };
  }

  async portal(context: TenantContext): Promise<RedirectView> {
    const stripe = this.requireStripe();
    const customer = await this.prisma.stripeCustomer.findUnique({ where: { tenantId: context.tenantId } });
    if (!customer) throw new AppError('precondition_failed', 'no billing account yet: choose a plan first');
    const session = await callStripe(() =>
      stripe.billingPortal.sessions.create({ customer: customer.stripeCustomerId, return_url: `${this.config.PUBLIC_URL}/billing` }),
    );
    return { url: session.url };
  }

  /**
   * The tenant's Stripe customer, made on first checkout. The idempotency key (the tenant id is in the parameters)
   * makes two concurrent first checkouts get the same customer from Stripe, so the row written second agrees.
   */
  private async ensureCustomer(stripe: Stripe, tenantId: string): Promise<string> {
    const existing = await this.prisma.stripeCustomer.findUnique({ where: { tenantId } });
    if (existing) return existing.stripeCustomerId;
    const tenant = await this.prisma.tenant.findUniqueOrThrow({
      where: { id: tenantId },
      select: { name: true, memberships: { where: { role: 'owner' }, orderBy: { createdAt: 'asc' }, take: 1, select: { user: { select: { email: true } } } } },
    });
    const params = { name: tenant.name, email: tenant.memberships[0]?.user.email, metadata: { tenantId } };
    // Stripe refuses a key reused with other parameters, so a renamed tenant's retry gets a key of its own.
    const idempotencyKey = `smarthost-customer-${createHash('sha256').update(JSON.stringify(params)).digest('hex').slice(0, 32)}`;
    const customer = await callStripe(() => stripe.customers.create(params, { idempotencyKey }));
    await this.prisma.stripeCustomer.createMany({ data: { tenantId, stripeCustomerId: customer.id }, skipDuplicates: true });
    return (await this.prisma.stripeCustomer.findUniqueOrThrow({ where: { tenantId } })).stripeCustomerId;
  }

  private planView(plan: Plan) {
    const purchasable = this.stripe !== null && this.config.STRIPE_PRICES[plan.id] !== undefined;
    return { id: plan.id, name: plan.name, priceCents: plan.priceCents, currency: PLAN_CURRENCY, limits: planLimits(plan), purchasable };
  }

  private requireStripe(): Stripe {
    if (!this.stripe) throw new AppError('unavailable', 'billing is not configured on this installation');
    return this.stripe;
  }
}

/** A Stripe failure is the payment provider's, not the caller's: 503 with Stripe's message, nothing half-written. */
async function callStripe<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new AppError('unavailable', `Stripe: ${error instanceof Error ? error.message : 'request failed'}`);
  }
}
