import createClient, { type Middleware } from 'openapi-fetch';
import { ApiError } from './api-error';
import type { paths } from './schema';

export type { paths };

/** What every request needs from the signed-in session: which tenant it acts on, and the CSRF token. */
export interface RequestContext {
  tenantId(): string | null;
  csrfToken(): string | null;
}

export interface ApiOptions {
  context: RequestContext;
  /** Injected in tests; the browser's fetch otherwise. */
  fetch?: (request: Request) => Promise<Response>;
  baseUrl?: string;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function headersMiddleware(context: RequestContext): Middleware {
  return {
    onRequest({ request }) {
      const tenantId = context.tenantId();
      if (tenantId) request.headers.set('x-tenant-id', tenantId);
      const csrf = context.csrfToken();
      if (csrf && !SAFE.has(request.method)) request.headers.set('x-csrf-token', csrf);
      return request;
    },
  };
}

export function createApi(options: ApiOptions) {
  const fetchImpl = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const client = createClient<paths>({
    baseUrl: options.baseUrl ?? globalThis.location.origin,
    credentials: 'same-origin',
    fetch: async (request) => {
      try {
        return await fetchImpl(request);
      } catch {
        throw ApiError.network();
      }
    },
  });
  client.use(headersMiddleware(options.context));
  return client;
}

export type Api = ReturnType<typeof createApi>;

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The body of a successful call, or an ApiError carrying the server's code and field messages. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<NonNullable<T>> {
  const { data, error, response } = await call;
  if (!response.ok) throw ApiError.fromResponse(response, error);
  return data as NonNullable<T>;
}

/** For calls answered with 204 No Content. */
export async function send(call: Promise<FetchResult<unknown>>): Promise<void> {
  const { error, response } = await call;
  if (!response.ok) throw ApiError.fromResponse(response, error);
}
