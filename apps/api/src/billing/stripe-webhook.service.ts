import { Inject, Injectable } from '@nestjs/common';
import { Prisma, type PrismaClient } from '@smarthost/db';
import type { Logger } from '@smarthost/logger';
import type Stripe from 'stripe';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { AppError } from '../core/app-error';
import { LOGGER, PRISMA } from '../core/tokens';
import { STRIPE } from './stripe-client';
import { syncSubscription } from './subscription-sync';

/** Seconds an event's signature stays valid: Stripe's own default, which bounds how long a captured event can be replayed. */
const SIGNATURE_TOLERANCE_SECONDS = 300;

export interface WebhookReceipt {
  received: true;
  duplicate: boolean;
}

/**
 * Stripe's webhooks: signature checked on the raw body, each event applied once (its id is stored in the same
 * transaction as its effect), and the subscription re-read from Stripe instead of taken from the event, because
 * Stripe does not deliver events in order: whatever order they arrive in, the last one applied leaves Stripe's
 * current state.
 */
@Injectable()
export class StripeWebhookService {
  constructor(
    @Inject(STRIPE) private readonly stripe: Stripe | null,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async receive(rawBody: Buffer | undefined, signature: string | undefined): Promise<WebhookReceipt> {
    const event = this.verify(rawBody, signature);
    if (await this.prisma.stripeWebhookEvent.findUnique({ where: { id: event.id } })) return { received: true, duplicate: true };
    const subscriptionId = subscriptionOf(event);
    const subscription = subscriptionId ? await this.retrieve(subscriptionId) : null;
    try {
      await this.prisma.$transaction(async (tx) => {
        await tx.stripeWebhookEvent.create({ data: { id: event.id, type: event.type } });
        if (subscription && !(await syncSubscription(tx, subscription, this.config.STRIPE_PRICES))) {
          this.logger.warn({ event: event.id, customer: subscription.customer }, 'stripe event for a customer that is not a tenant; ignored');
        }
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return { received: true, duplicate: true };
      throw error;
    }
    return { received: true, duplicate: false };
  }

  private verify(rawBody: Buffer | undefined, signature: string | undefined): Stripe.Event {
    const secret = this.config.STRIPE_WEBHOOK_SECRET;
    if (!this.stripe || !secret) throw new AppError('unavailable', 'billing is not configured on this installation');
    if (!signature) throw AppError.invalid('headers.stripe-signature', 'is required');
    if (!rawBody) throw AppError.invalid('body', 'must be the JSON event Stripe sent');
    try {
      return this.stripe.webhooks.constructEvent(rawBody, signature, secret, SIGNATURE_TOLERANCE_SECONDS);
    } catch (error) {
      throw AppError.invalid('headers.stripe-signature', error instanceof Error ? error.message : 'does not match the body');
    }
  }

  private async retrieve(id: string): Promise<Stripe.Subscription> {
    try {
      return await (this.stripe as Stripe).subscriptions.retrieve(id);
    } catch (error) {
      this.logger.error({ err: error, subscription: id }, 'could not read a subscription from Stripe; the event will be retried');
      throw new AppError('unavailable', 'Stripe could not be reached; retry the event');
    }
  }
}

/** The subscription an event is about, for the events that can change a tenant's plan or standing. */
function subscriptionOf(event: Stripe.Event): string | null {
  const object = event.data.object as { object?: string; id?: string; subscription?: unknown; parent?: { subscription_details?: { subscription?: unknown } } | null };
  if (event.type.startsWith('customer.subscription.')) return object.id ?? null;
  if (event.type === 'checkout.session.completed') return idOf(object.subscription);
  if (event.type === 'invoice.paid' || event.type === 'invoice.payment_failed') return idOf(object.parent?.subscription_details?.subscription);
  return null;
}

function idOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'id' in value && typeof value.id === 'string') return value.id;
  return null;
}
