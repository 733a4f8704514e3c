import Stripe from 'stripe';

export interface WebhookDelivery {
  event: Stripe.Event;
  /** The receiver's HTTP status, or 0 when there was no URL or no answer. */
  status: number;
  /** The receiver's response body, or why nothing was delivered. */
  body: string;
}

// A receiver that never answers would otherwise hold up the test, or the redirect after payment, forever.
const DELIVERY_TIMEOUT_MS = 10_000;

/** Posts one event as Stripe does: pretty-printed JSON signed in `Stripe-Signature` with the endpoint's secret. */
export async function deliverEvent(event: Stripe.Event, url: string | undefined, secret: string): Promise<WebhookDelivery> {
  if (!url) return { event, status: 0, body: 'no webhook URL is set' };
  const payload = JSON.stringify(event, null, 2);
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret });
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signature },
      body: payload,
      redirect: 'manual',
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    return { event, status: response.status, body: await response.text() };
  } catch (error) {
    return { event, status: 0, body: describe(error) };
  }
}

/** fetch reports a refused connection as "fetch failed" with the socket error as its cause. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}
