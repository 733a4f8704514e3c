import { randomUUID } from 'node:crypto';
import { httpClient, type HttpResult } from './fixtures';
import type { TestApp } from './test-app';

export const TEST_PASSWORD = 'correct horse battery staple';

export interface SessionClient {
  email: string;
  password: string;
  userId: string;
  tenantId: string;
  /** The `sh_session=…` pair to send back as a Cookie header. */
  cookie: string;
  csrfToken: string;
  /** A request as the dashboard makes it: cookie, CSRF header and the current tenant. */
  call<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResult<T>>;
}

export function sessionCookie(headers: Headers): string {
  const cookie = headers.getSetCookie().find((line) => line.startsWith('sh_session='));
  if (!cookie) throw new Error('response set no sh_session cookie');
  return cookie.split(';')[0]!;
}

/** Wraps a sign-up or log-in response into a client for that session. */
export function asSession(app: TestApp, result: HttpResult, email: string, password: string, tenantId?: string): SessionClient {
  if (result.status !== 200 && result.status !== 201) throw new Error(`login failed: ${result.status} ${JSON.stringify(result.body)}`);
  const cookie = sessionCookie(result.headers);
  const { csrfToken, user, tenants } = result.body;
  const http = httpClient(app.url);
  const session: SessionClient = {
    email,
    password,
    userId: user.id,
    tenantId: tenantId ?? tenants[0]?.id,
    cookie,
    csrfToken,
    call: (method, path, body, headers = {}) =>
      http(method, path, body, { cookie, 'x-csrf-token': csrfToken, 'x-tenant-id': session.tenantId, ...headers }),
  };
  return session;
}

/** Signs up a new user with a new tenant over HTTP. */
export async function signUp(app: TestApp, fields: { email?: string; name?: string; tenantName?: string } = {}): Promise<SessionClient> {
  const email = fields.email ?? `user-${randomUUID().slice(0, 8)}@example.test`;
  const result = await httpClient(app.url)('POST', '/v1/auth/signup', {
    email,
    password: TEST_PASSWORD,
    name: fields.name ?? 'Test User',
    tenantName: fields.tenantName ?? 'Test Tenant',
  });
  return asSession(app, result, email, TEST_PASSWORD);
}

export async function logIn(app: TestApp, email: string, password: string, headers: Record<string, string> = {}): Promise<SessionClient> {
  const result = await httpClient(app.url)('POST', '/v1/auth/login', { email, password }, headers);
  return asSession(app, result, email, password);
}
