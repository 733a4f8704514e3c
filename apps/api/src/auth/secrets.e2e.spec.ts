import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTenantFixture, httpClient } from '../test/fixtures';
import { logIn, signUp, TEST_PASSWORD } from '../test/session-client';
import { startTestApp, type TestApp } from '../test/test-app';

/** The cookie as sent, and the bare session token inside its signature envelope ("s:<token>.<signature>"). */
function cookieSecrets(cookie: string): string[] {
  const value = cookie.slice('sh_session='.length);
  return [value, decodeURIComponent(value).slice(2).split('.')[0]!];
}

describe('secrets never leak', () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ LOG_LEVEL: 'trace' });
  });
  after(() => app.close());

  it('keeps passwords, session and CSRF tokens, invitation tokens and API keys out of logs and later responses', async () => {
    const http = httpClient(app.url);
    const owner = await signUp(app);
    const secrets = [TEST_PASSWORD, ...cookieSecrets(owner.cookie), owner.csrfToken];

    const login = await logIn(app, owner.email, TEST_PASSWORD);
    secrets.push(...cookieSecrets(login.cookie), login.csrfToken);
    await http('POST', '/v1/auth/login', { email: owner.email, password: 'a wrong password' });

    const key = await owner.call('POST', '/v1/api-keys', { name: 'ci', role: 'developer' });
    assert.equal(key.status, 201);
    secrets.push(key.body.key);
    assert.equal((await http('GET', '/v1/tenant', undefined, { authorization: `Bearer ${key.body.key}` })).status, 200);

    const invite = await owner.call('POST', '/v1/invitations', { email: 'friend@example.test', role: 'viewer' });
    assert.equal(invite.status, 201);
    secrets.push(new URL(invite.body.acceptUrl).hash.replace('#token=', ''));

    const newPassword = 'the replacement passphrase';
    assert.equal((await owner.call('POST', '/v1/auth/password', { currentPassword: TEST_PASSWORD, newPassword })).status, 204);
    secrets.push(newPassword);

    const fixture = await createTenantFixture(app.prisma);
    secrets.push(fixture.apiKey);
    await http('GET', '/v1/members', undefined, fixture.auth);

    const reads = await Promise.all(
      ['/v1/auth/me', '/v1/tenants', '/v1/tenant', '/v1/members', '/v1/invitations', '/v1/api-keys', '/v1/audit'].map((path) =>
        owner.call('GET', path),
      ),
    );
    for (const read of reads) assert.equal(read.status, 200);
    const haystacks = { logs: app.logs.join('\n'), responses: JSON.stringify(reads.map((r) => r.body)) };
    assert.ok(haystacks.logs.length > 1000, 'the app logged its requests');
    for (const secret of secrets) {
      assert.ok(secret.length >= 12);
      for (const [where, text] of Object.entries(haystacks)) assert.equal(text.includes(secret), false, `a secret is in ${where}`);
    }
  });
});
