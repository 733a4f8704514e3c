import { FormParams, FormValue } from './form-body';
import { invalidRequest, parameterMissing, StripeApiError } from './api-error';
import type { Metadata } from './stripe-objects';
import type { FakeStripeStore } from './store';

export interface ApiRequest {
  method: string;
  /** The path without the query string, e.g. `/v1/customers/cus_1`. */
  path: string;
  /** The form body of a POST, the query string of a GET. */
  params: FormParams;
  rawBody: string;
  authorization?: string;
  idempotencyKey?: string;
}

export interface ApiResponse {
  status: number;
  body: unknown;
  /** Answered from the idempotency store, which Stripe tells with the `Idempotent-Replayed` header. */
  replayed: boolean;
}

interface Route {
  method: 'GET' | 'POST';
  /** The first capture group, when there is one, is the object id. */
  pattern: RegExp;
  handle(params: FormParams, id: string): unknown;
}

/** The `/v1` endpoints the billing code calls, behind Stripe's API key check and idempotency. */
export class StripeApi {
  private readonly routes: readonly Route[];
  private readonly answered = new Map<string, { fingerprint: string; response: ApiResponse }>();

  constructor(
    private readonly secretKey: string,
    store: FakeStripeStore,
  ) {
    this.routes = [
      { method: 'POST', pattern: /^\/v1\/customers$/, handle: (params) => store.createCustomer(customerFields(params)) },
      { method: 'GET', pattern: /^\/v1\/customers\/([^/]+)$/, handle: (_params, id) => store.customer(id) },
      {
        method: 'POST',
        pattern: /^\/v1\/checkout\/sessions$/,
        handle: (params) => store.createCheckoutSession(checkoutInput(params)),
      },
      { method: 'GET', pattern: /^\/v1\/checkout\/sessions\/([^/]+)$/, handle: (_params, id) => store.checkoutSession(id) },
      {
        method: 'POST',
        pattern: /^\/v1\/billing_portal\/sessions$/,
        handle: (params) => store.createPortalSession(required(params, 'customer'), optional(params, 'return_url') ?? null),
      },
      { method: 'GET', pattern: /^\/v1\/subscriptions\/([^/]+)$/, handle: (_params, id) => store.subscription(id) },
    ];
  }

  handle(request: ApiRequest): ApiResponse {
    if (request.authorization !== `Bearer ${this.secretKey}`) {
      return refusal(new StripeApiError(401, { type: 'invalid_request_error', message: 'Invalid API Key provided' }));
    }
    const key = request.method === 'POST' ? request.idempotencyKey : undefined;
    if (key === undefined) return this.run(request);
    const fingerprint = `${request.path} ${request.rawBody}`;
    const earlier = this.answered.get(key);
    if (earlier) {
      return earlier.fingerprint === fingerprint ? { ...earlier.response, replayed: true } : refusal(keyReused(key));
    }
    const response = this.run(request);
    // Stripe keeps no result for a request refused in validation, so the caller may fix it and retry with the
    // same key; the fake cannot tell validation from other refusals, so it keeps successes only.
    if (response.status < 300) this.answered.set(key, { fingerprint, response });
    return response;
  }

  private run(request: ApiRequest): ApiResponse {
    for (const route of this.routes) {
      const match = route.method === request.method ? route.pattern.exec(request.path) : null;
      if (!match) continue;
      try {
        return { status: 200, body: route.handle(request.params, decodeURIComponent(match[1] ?? '')), replayed: false };
      } catch (error) {
        if (error instanceof StripeApiError) return refusal(error);
        throw error;
      }
    }
    return refusal(
      new StripeApiError(404, {
        type: 'invalid_request_error',
        message: `Unrecognized request URL (${request.method}: ${request.path}).`,
      }),
    );
  }
}

function refusal(error: StripeApiError): ApiResponse {
  return { status: error.status, body: { error: error.body }, replayed: false };
}

function keyReused(key: string): StripeApiError {
  return new StripeApiError(400, {
    type: 'idempotency_error',
    message: `Keys for idempotent requests can only be used with the same parameters they were first used with (${key}).`,
  });
}

function customerFields(params: FormParams) {
  return {
    email: optional(params, 'email') ?? null,
    name: optional(params, 'name') ?? null,
    metadata: metadata(params.metadata),
  };
}

function checkoutInput(params: FormParams) {
  const mode = required(params, 'mode');
  if (mode !== 'subscription') {
    throw invalidRequest(`The fake only supports mode=subscription, not ${mode}.`, 'mode');
  }
  const lineItem = child(child(params.line_items, '0'), 'price');
  if (typeof lineItem !== 'string') throw parameterMissing('line_items[0][price]');
  return {
    customer: required(params, 'customer'),
    price: lineItem,
    successUrl: required(params, 'success_url'),
    cancelUrl: required(params, 'cancel_url'),
    clientReferenceId: optional(params, 'client_reference_id') ?? null,
    metadata: metadata(params.metadata),
    subscriptionMetadata: metadata(child(params.subscription_data, 'metadata')),
  };
}

function optional(params: FormParams, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function required(params: FormParams, name: string): string {
  const value = optional(params, name);
  if (value === undefined) throw parameterMissing(name);
  return value;
}

function child(value: FormValue | undefined, key: string): FormValue | undefined {
  if (value === undefined || typeof value === 'string') return undefined;
  return Array.isArray(value) ? value[Number(key)] : value[key];
}

/** Stripe metadata is flat strings; an empty value unsets a key, so it is left out. */
function metadata(value: FormValue | undefined): Metadata {
  if (value === undefined || typeof value === 'string' || Array.isArray(value)) return {};
  const entries = Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
  return Object.fromEntries(entries.filter(([, text]) => text !== ''));
}
