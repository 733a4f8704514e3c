import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTenantFixture, httpClient } from '../test/fixtures';
import { logIn, sessionCookie, signUp, TEST_PASSWORD } from '../test/session-client';
import { startTestApp, type TestApp } from '../test/test-app';

describe('auth over HTTP', () => {
  let app: TestApp;
  let http: ReturnType<typeof httpClient>;

  before(async () => {
    app = await startTestApp();
    http = httpClient(app.url);
  });
  after(() => app.close());

  describe('sign-up', () => {
    it('creates the user, an owned tenant and a session, then logout ends it', async () => {
      const result = await http('POST', '/v1/auth/signup', {
        email: ' New.User@Example.TEST ',
        password: TEST_PASSWORD,
        name: 'New User',
        tenantName: 'Acme Mail',
      });
      assert.equal(result.status, 201);
      assert.equal(result.body.user.email, 'new.user@example.test');
      assert.deepEqual(
        result.body.tenants.map((t: any) => [t.name, t.slug, t.role, t.status]),
        [['Acme Mail', 'acme-mail', 'owner', 'active']],
      );
      assert.match(result.body.csrfToken, /^[\w-]{40,}$/);
      const setCookie = result.headers.getSetCookie().join('\n');
      assert.match(setCookie, /sh_session=s%3A/);
      assert.match(setCookie, /HttpOnly/);
      assert.match(setCookie, /SameSite=Lax/);
      assert.doesNotMatch(setCookie, /Secure/);

      const stored = await app.prisma.user.findUniqueOrThrow({ where: { email: 'new.user@example.test' } });
      assert.match(stored.passwordHash, /^\$argon2id\$/);
      const session = await app.prisma.session.findFirstOrThrow({ where: { userId: stored.id } });
      assert.match(session.tokenDigest, /^[0-9a-f]{64}$/);
      assert.equal(setCookie.includes(session.tokenDigest), false);

      const cookie = sessionCookie(result.headers);
      const me = await http('GET', '/v1/auth/me', undefined, { cookie });
      assert.equal(me.status, 200);
      assert.equal(me.body.user.id, stored.id);
      assert.equal(me.body.tenants[0].role, 'owner');

      const logout = await http('POST', '/v1/auth/logout', undefined, { cookie, 'x-csrf-token': result.body.csrfToken });
      assert.equal(logout.status, 204);
      assert.ok((await app.prisma.session.findUniqueOrThrow({ where: { id: session.id } })).revokedAt);
      assert.equal((await http('GET', '/v1/auth/me', undefined, { cookie })).status, 401);
    });

    it('gives a unique slug to a second tenant of the same name', async () => {
      const a = await signUp(app, { tenantName: 'Same Name' });
      const b = await signUp(app, { tenantName: 'Same Name' });
      const slugs = await app.prisma.tenant.findMany({ where: { id: { in: [a.tenantId, b.tenantId] } }, select: { slug: true } });
      assert.deepEqual(slugs.map((s) => s.slug).sort(), ['same-name', 'same-name-2']);
    });

    it('refuses a second account for the same email', async () => {
      const first = await signUp(app);
      const again = await http('POST', '/v1/auth/signup', { email: first.email.toUpperCase(), password: TEST_PASSWORD, name: 'X', tenantName: 'Y' });
      assert.equal(again.status, 409);
    });

    const bad: [string, Record<string, unknown>, string][] = [
      ['a short password', { password: 'short-pass1' }, 'body.password'],
      ['one repeated character', { password: 'a'.repeat(20) }, 'body.password'],
      ['an overlong password', { password: 'ab'.repeat(129) }, 'body.password'],
      ['a malformed email', { email: 'not-an-email' }, 'body.email'],
      ['no tenant name', { tenantName: undefined }, 'body.tenantName'],
      ['an empty name', { name: '  ' }, 'body.name'],
      ['an unknown field', { admin: true }, 'body'],
    ];
    for (const [what, change, field] of bad) {
      it(`answers 400 naming ${field} for ${what}`, async () => {
        const body = { email: 'someone@example.test', password: TEST_PASSWORD, name: 'N', tenantName: 'T', ...change };
        const result = await http('POST', '/v1/auth/signup', body);
        assert.equal(result.status, 400);
        assert.equal(result.body.error.code, 'validation_failed');
        assert.ok(result.body.error.fields.some((f: any) => f.field === field), JSON.stringify(result.body.error.fields));
      });
    }

    it('answers 400 for malformed JSON', async () => {
      const result = await http('POST', '/v1/auth/signup', '{"email":', { 'content-type': 'application/json' });
      assert.equal(result.status, 400);
    });
  });

  describe('log-in', () => {
    it('logs in with the right password and returns the same CSRF token from /auth/csrf', async () => {
      const account = await signUp(app);
      const session = await logIn(app, account.email.toUpperCase(), TEST_PASSWORD);
      assert.equal(session.userId, account.userId);
      const csrf = await http('GET', '/v1/auth/csrf', undefined, { cookie: session.cookie });
      assert.equal(csrf.status, 200);
      assert.equal(csrf.body.csrfToken, session.csrfToken);
      assert.notEqual(session.csrfToken, account.csrfToken);
    });

    it('gives one answer for a wrong password and an unknown email', async () => {
      const account = await signUp(app);
      const wrong = await http('POST', '/v1/auth/login', { email: account.email, password: 'wrong password!' });
      const unknown = await http('POST', '/v1/auth/login', { email: 'nobody@example.test', password: 'wrong password!' });
      assert.equal(wrong.status, 401);
      assert.equal(unknown.status, 401);
      assert.equal(wrong.body.error.message, unknown.body.error.message);
      assert.equal(wrong.headers.getSetCookie().length, 0);
    });

    it('answers 400 naming the field for a malformed log-in', async () => {
      const result = await http('POST', '/v1/auth/login', { email: 'x', password: '' });
      assert.equal(result.status, 400);
      assert.deepEqual(result.body.error.fields.map((f: any) => f.field).sort(), ['body.email', 'body.password']);
      assert.equal((await http('POST', '/v1/auth/login')).status, 400);
    });

    it('rejects a forged or unsigned cookie', async () => {
      assert.equal((await http('GET', '/v1/auth/me', undefined, { cookie: 'sh_session=abc' })).status, 401);
      assert.equal((await http('GET', '/v1/auth/me')).status, 401);
    });

    it('refuses API keys on user routes', async () => {
      const fixture = await createTenantFixture(app.prisma);
      assert.equal((await http('GET', '/v1/auth/me', undefined, fixture.auth)).status, 403);
    });
  });

  describe('CSRF', () => {
    it('refuses a session POST without or with a wrong x-csrf-token, and allows GET without', async () => {
      const session = await signUp(app);
      const missing = await http('POST', '/v1/auth/logout', undefined, { cookie: session.cookie });
      assert.equal(missing.status, 403);
      const wrong = await http('POST', '/v1/auth/logout', undefined, { cookie: session.cookie, 'x-csrf-token': 'guess' });
      assert.equal(wrong.status, 403);
      const other = await signUp(app);
      const crossed = await http('POST', '/v1/auth/logout', undefined, { cookie: session.cookie, 'x-csrf-token': other.csrfToken });
      assert.equal(crossed.status, 403);
      assert.equal((await session.call('GET', '/v1/auth/me', undefined, { 'x-csrf-token': '' })).status, 200);
    });
  });

  describe('password change', () => {
    it('needs the current password, then revokes the other sessions but not this one', async () => {
      const account = await signUp(app);
      const laptop = await logIn(app, account.email, TEST_PASSWORD);
      const newPassword = 'a brand new passphrase';

      const wrong = await account.call('POST', '/v1/auth/password', { currentPassword: 'not my password', newPassword });
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body.error.fields[0].field, 'body.currentPassword');
      const weak = await account.call('POST', '/v1/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'short' });
      assert.equal(weak.status, 400);
      const same = await account.call('POST', '/v1/auth/password', { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD });
      assert.equal(same.status, 400);

      const changed = await account.call('POST', '/v1/auth/password', { currentPassword: TEST_PASSWORD, newPassword });
      assert.equal(changed.status, 204);
      assert.equal((await account.call('GET', '/v1/auth/me')).status, 200);
      assert.equal((await laptop.call('GET', '/v1/auth/me')).status, 401);
      assert.equal((await http('POST', '/v1/auth/login', { email: account.email, password: TEST_PASSWORD })).status, 401);
      assert.equal((await http('POST', '/v1/auth/login', { email: account.email, password: newPassword })).status, 200);
      const entries = await app.prisma.auditLog.count({ where: { actorUserId: account.userId, action: 'user.password_changed' } });
      assert.equal(entries, 1);
    });
  });
});

describe('cookie flags with COOKIE_SECURE', () => {
  it('marks the session cookie Secure', async () => {
    const app = await startTestApp({ COOKIE_SECURE: 'true' });
    try {
      const session = await httpClient(app.url)('POST', '/v1/auth/signup', {
        email: 'secure@example.test',
        password: TEST_PASSWORD,
        name: 'S',
        tenantName: 'S',
      });
      assert.equal(session.status, 201);
      assert.match(session.headers.getSetCookie().join('\n'), /; Secure/);
    } finally {
      await app.close();
    }
  });
});
