/**
 * Canned API answers for component tests, given to the API client as its fetch. Handlers are keyed by
 * "METHOD /path" (the path without query); every request is recorded so tests can read what was sent.
 */
export type Handler = (request: Request) => Response | Promise<Response>;

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

export function apiError(status: number, code: string, message: string, fields?: { field: string; message: string }[]): Response {
  return json({ error: { code, message, ...(fields ? { fields } : {}), correlationId: 'req-test-1' } }, status);
}

export function fakeApi(handlers: Record<string, Handler>) {
  const requests: Request[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    requests.push(request.clone());
    const url = new URL(request.url);
    const handler = handlers[`${request.method} ${url.pathname}`];
    if (!handler) return apiError(404, 'not_found', `no canned answer for ${request.method} ${url.pathname}`);
    return handler(request);
  };
  return { fetch, requests };
}

export const TENANT_A = { id: '0190a000-0000-7000-8000-00000000000a', name: 'Shop A', slug: 'shop-a', status: 'active', role: 'owner' } as const;
export const TENANT_B = { id: '0190b000-0000-7000-8000-00000000000b', name: 'Agency B', slug: 'agency-b', status: 'active', role: 'developer' } as const;
export const USER = { id: '0190c000-0000-7000-8000-00000000000c', email: 'olivia@shop.example', name: 'Olivia' };

/** The answers every signed-in page needs: who is logged in, and the CSRF token. */
export function signedIn(tenants: readonly { id: string; name: string; slug: string; status: string; role: string }[] = [TENANT_A]): Record<string, Handler> {
  return {
    'GET /v1/auth/me': () => json({ user: USER, tenants }),
    'GET /v1/auth/csrf': () => json({ csrfToken: 'csrf-token-1' }),
  };
}

export const anonymous: Record<string, Handler> = {
  'GET /v1/auth/me': () => apiError(401, 'unauthenticated', 'log in or send an API key as a bearer token'),
};

export function domain(name: string, id: string) {
  return { id, name, unicodeName: name, status: 'pending', verifiedAt: null, lastCheckedAt: null, inboundEnabled: false, createdAt: '2026-11-01T10:00:00.000Z' };
}
