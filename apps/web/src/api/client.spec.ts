import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error';
import { createApi, unwrap } from './client';
import { apiError, fakeApi, json } from '../test/fake-api';

const context = (tenantId: string | null) => ({ tenantId: () => tenantId, csrfToken: () => 'csrf-1' });

describe('API client', () => {
  it('sends the tenant on every call and the CSRF token only on writes', async () => {
    const api = fakeApi({ 'GET /v1/domains': () => json({ items: [], nextCursor: null }), 'POST /v1/domains': () => json({}, 201) });
    const client = createApi({ fetch: api.fetch, context: context('tenant-1') });
    await unwrap(client.GET('/v1/domains'));
    await unwrap(client.POST('/v1/domains', { body: { name: 'shop.example' } }));
    expect(api.requests.map((r) => [r.method, r.headers.get('x-tenant-id'), r.headers.get('x-csrf-token')])).toEqual([
      ['GET', 'tenant-1', null],
      ['POST', 'tenant-1', 'csrf-1'],
    ]);
  });

  it('turns an error body into plain words with one message per form field', async () => {
    const api = fakeApi({
      'POST /v1/credentials': () =>
        apiError(400, 'validation_failed', 'body.ipAllowlist.1: bad', [
          { field: 'body.ipAllowlist.1', message: 'must be an IPv4 or IPv6 address or CIDR block' },
          { field: 'body.name', message: 'must not be empty' },
        ]),
    });
    const error = await unwrap(createApi({ fetch: api.fetch, context: context('t') }).POST('/v1/credentials', { body: { name: '' } })).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.fields).toEqual({ ipAllowlist: 'Must be an IPv4 or IPv6 address or CIDR block', name: 'Must not be empty' });
  });

  it('explains rate limits and unreachable servers instead of showing raw errors', async () => {
    const limited = fakeApi({ 'POST /v1/auth/login': () => new Response(JSON.stringify({ error: { code: 'rate_limited', message: 'x', correlationId: 'c' } }), { status: 429, headers: { 'retry-after': '30' } }) });
    const error = await unwrap(createApi({ fetch: limited.fetch, context: context(null) }).POST('/v1/auth/login', { body: { email: 'a@b.example', password: 'p' } })).catch((e) => e);
    expect(error.message).toBe('Too many attempts. Wait 30 seconds and try again.');
    const down = createApi({ fetch: () => Promise.reject(new TypeError('Failed to fetch')), context: context(null) });
    await expect(unwrap(down.GET('/v1/auth/me'))).rejects.toThrow('Cannot reach the server');
  });
});
