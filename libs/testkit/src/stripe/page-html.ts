import type Stripe from 'stripe';

/** Plain HTML with no scripts, so a browser test drives it by role and the demo works without JavaScript. */
function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escape(title)} · Fake Stripe</title></head>
<body><main>
<h1>${escape(title)}</h1>
${body}
</main></body>
</html>
`;
}

export function checkoutPage(session: Stripe.Checkout.Session, price: Stripe.Price): string {
  if (session.status !== 'open') {
    return page('Checkout complete', `<p>This checkout session is ${escape(session.status ?? 'closed')}.</p>`);
  }
  return page(
    `Subscribe to ${typeof price.product === 'string' ? price.product : price.product.id}`,
    `<p>${escape(priceLabel(price))}</p>
<form method="post" action="/checkout/${escape(session.id)}/pay">
<button type="submit">Pay and subscribe</button>
</form>
<p><a href="${escape(session.cancel_url ?? '/')}">Cancel</a></p>`,
  );
}

export function portalPage(session: Stripe.BillingPortal.Session, subscriptions: readonly PortalSubscription[]): string {
  const items = subscriptions.map((entry) => `<li>${subscriptionSummary(session.id, entry)}</li>`).join('\n');
  return page(
    'Manage billing',
    `${subscriptions.length ? `<ul>\n${items}\n</ul>` : '<p>No subscriptions.</p>'}
<p><a href="${escape(session.return_url ?? '/')}">Return</a></p>`,
  );
}

export function errorPage(status: number, message: string): string {
  return page(status === 404 ? 'Not found' : 'Request refused', `<p>${escape(message)}</p>`);
}

export interface PortalSubscription {
  subscription: Stripe.Subscription;
  /** Whether to offer "Cancel subscription": it has not ended yet. */
  cancellable: boolean;
}

function subscriptionSummary(portalId: string, { subscription, cancellable }: PortalSubscription): string {
  const item = subscription.items.data[0];
  const parts = [
    subscription.id,
    item ? priceLabel(item.price) : '',
    subscription.status,
    subscription.cancel_at_period_end ? 'cancels at period end' : '',
  ].filter(Boolean);
  const text = `<span>${escape(parts.join(' · '))}</span>`;
  if (!cancellable) return text;
  return `${text}
<form method="post" action="/portal/${escape(portalId)}/cancel/${escape(subscription.id)}">
<button type="submit">Cancel subscription</button>
</form>`;
}

/** Stripe amounts are in the currency's smallest unit: cents for USD, yen for JPY. */
function priceLabel(price: Stripe.Price): string {
  const format = new Intl.NumberFormat('en-US', { style: 'currency', currency: price.currency.toUpperCase() });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return `${format.format((price.unit_amount ?? 0) / 10 ** digits)} per ${price.recurring?.interval ?? 'month'}`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
