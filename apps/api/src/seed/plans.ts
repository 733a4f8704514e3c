import type { PrismaClient } from '@smarthost/db';

const MB = 1024 * 1024;

/** The currency of every plan's price (the Stripe prices in STRIPE_PRICES must be in it too). */
export const PLAN_CURRENCY = 'usd';

/**
 * The plans every installation offers. Limits are per tenant; the relay enforces them from the policy snapshot.
 * 25 MB matches what the large mailbox providers accept, so a paid plan never sends what a recipient would refuse.
 * Inbound limits (port 25) are counted per message; the backlog is what may wait in Redis for the tenant's server,
 * sized so that every tenant of a plan stalled at once stays a known fraction of Redis memory.
 */
export const PLANS = [
  {
    id: 'free',
    name: 'Free',
    priceCents: 0,
    messagesPerDay: 100,
    messagesPerMonth: 3_000,
    messagesPerMinute: 10,
    recipientsPerMessage: 50,
    maxMessageBytes: 10 * MB,
    inboundMessagesPerDay: 1_000,
    inboundBytesPerDay: 100 * MB,
    inboundBacklogBytes: 25 * MB,
  },
  {
    id: 'starter',
    name: 'Starter',
    priceCents: 1_500,
    messagesPerDay: 2_000,
    messagesPerMonth: 50_000,
    messagesPerMinute: 60,
    recipientsPerMessage: 100,
    maxMessageBytes: 25 * MB,
    inboundMessagesPerDay: 10_000,
    inboundBytesPerDay: 1_000 * MB,
    inboundBacklogBytes: 100 * MB,
  },
  {
    id: 'pro',
    name: 'Pro',
    priceCents: 7_500,
    messagesPerDay: 20_000,
    messagesPerMonth: 500_000,
    messagesPerMinute: 600,
    recipientsPerMessage: 500,
    maxMessageBytes: 25 * MB,
    // Int columns: 2,000 MB is the most a day may hold without a wider type.
    inboundMessagesPerDay: 100_000,
    inboundBytesPerDay: 2_000 * MB,
    inboundBacklogBytes: 500 * MB,
  },
] as const;

/**
 * Inserts or updates the plans; running it again changes nothing. What each plan costs in Stripe is configuration
 * (STRIPE_PRICES), not data: one installation's test prices never leak into another's database.
 */
export async function seedPlans(prisma: PrismaClient): Promise<void> {
  await prisma.$transaction(
    PLANS.map(({ id, ...plan }) => prisma.plan.upsert({ where: { id }, create: { id, ...plan }, update: plan })),
  );
}
