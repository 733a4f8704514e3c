import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import type { PrismaClient, Role } from '@smarthost/db';
import { secretDigest } from '@smarthost/relay-policy';

export interface TenantFixture {
  tenantId: string;
  userId: string;
  /** A bearer API key of the given role for this tenant. */
  apiKey: string;
  auth: { authorization: string };
}

/**
 * A tenant with an owner and an API key, written straight to the database: for tests of features other than
 * sign-up, which has its own end-to-end tests.
 */
export async function createTenantFixture(prisma: PrismaClient, role: Role = 'owner'): Promise<TenantFixture> {
  const suffix = randomUUID().slice(0, 8);
  const user = await prisma.user.create({
    data: { email: `owner-${suffix}@example.test`, name: 'Owner', passwordHash: 'not-a-login' },
  });
  const tenant = await prisma.tenant.create({ data: { name: `Tenant ${suffix}`, slug: `tenant-${suffix}` } });
  await prisma.membership.create({ data: { tenantId: tenant.id, userId: user.id, role: 'owner' } });
  const apiKey = `shk_${randomBytes(24).toString('base64url')}`;
  await prisma.apiKey.create({
    data: { tenantId: tenant.id, name: 'test', prefix: apiKey.slice(0, 8), digest: secretDigest(apiKey), role, createdById: user.id },
  });
  return { tenantId: tenant.id, userId: user.id, apiKey, auth: { authorization: `Bearer ${apiKey}` } };
}

export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A small JSON client for tests over real HTTP. */
export function httpClient(baseUrl: string, defaults: Record<string, string> = {}) {
  return async function request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResult<T>> {
    const response = await fetch(baseUrl + path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...defaults, ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON (CSV export, HTML): keep the text
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  };
}

/** Each GET path must answer 400 with an error that names its field (`query.status`, `params`, …). */
export async function assertFieldErrors(http: ReturnType<typeof httpClient>, cases: [path: string, field: string][]): Promise<void> {
  for (const [path, field] of cases) {
    const { status, body } = await http('GET', path);
    assert.equal(status, 400, path);
    assert.ok(JSON.stringify(body).includes(field), `${path}: ${JSON.stringify(body)}`);
  }
}
