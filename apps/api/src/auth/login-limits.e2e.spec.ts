import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { httpClient, type HttpResult } from '../test/fixtures';
import { signUp, TEST_PASSWORD } from '../test/session-client';
import { startTestApp, type TestApp } from '../test/test-app';
import { ACCOUNT_FAILURE_LIMIT, IP_FAILURE_LIMIT, PAIR_FAILURE_LIMIT, SLOW_INTERVAL_MS } from './login-limiter';

/** The API trusts X-Forwarded-For from loopback (its proxy), which lets one test speak from many addresses. */
const from = (ip: string) => ({ 'x-forwarded-for': ip });

describe('log-in brute-force limits', () => {
  let app: TestApp;
  let login: (email: string, password: string, ip: string) => Promise<HttpResult>;

  before(async () => {
    app = await startTestApp();
    const http = httpClient(app.url);
    login = (email, password, ip) => http('POST', '/v1/auth/login', { email, password }, from(ip));
  });
  after(() => app.close());

  it('blocks one address guessing one account with 429 and Retry-After, but not the user elsewhere', async () => {
    const { email } = await signUp(app);
    for (let i = 0; i < PAIR_FAILURE_LIMIT; i++) assert.equal((await login(email, 'wrong guess!!', '198.51.100.1')).status, 401);
    const blocked = await login(email, TEST_PASSWORD, '198.51.100.1');
    assert.equal(blocked.status, 429);
    assert.equal(blocked.body.error.code, 'rate_limited');
    const retryAfter = Number(blocked.headers.get('retry-after'));
    assert.ok(retryAfter > 0 && retryAfter <= 900, `Retry-After ${retryAfter}`);
    assert.equal((await login(email, TEST_PASSWORD, '203.0.113.7')).status, 200);
  });

  it('blocks an address that tries many accounts', async () => {
    for (let i = 0; i < IP_FAILURE_LIMIT; i++) {
      assert.equal((await login(`spray-${i}@example.test`, 'wrong guess!!', '198.51.100.2')).status, 401);
    }
    const { email } = await signUp(app);
    assert.equal((await login(email, TEST_PASSWORD, '198.51.100.2')).status, 429);
    assert.equal((await login(email, TEST_PASSWORD, '198.51.100.3')).status, 200);
  });

  it('only slows an account attacked from many addresses, so the real user still gets in', async () => {
    const { email } = await signUp(app);
    for (let i = 0; i < ACCOUNT_FAILURE_LIMIT; i++) {
      assert.equal((await login(email, 'wrong guess!!', `192.0.2.${i + 1}`)).status, 401);
    }
    const first = await login(email, 'wrong guess!!', '192.0.2.100');
    const second = await login(email, 'wrong guess!!', '192.0.2.101');
    assert.equal(first.status, 401);
    assert.equal(second.status, 429);
    assert.ok(Number(second.headers.get('retry-after')) <= Math.ceil(SLOW_INTERVAL_MS / 1000));
    await sleep(SLOW_INTERVAL_MS + 100);
    assert.equal((await login(email, TEST_PASSWORD, '203.0.113.50')).status, 200);
  });

  it('counts wrong current passwords on password change under the same limits', async () => {
    const session = await signUp(app);
    const body = { currentPassword: 'wrong guess!!', newPassword: 'another long passphrase' };
    for (let i = 0; i < PAIR_FAILURE_LIMIT; i++) {
      assert.equal((await session.call('POST', '/v1/auth/password', body, from('198.51.100.9'))).status, 400);
    }
    const blocked = await session.call('POST', '/v1/auth/password', { ...body, currentPassword: TEST_PASSWORD }, from('198.51.100.9'));
    assert.equal(blocked.status, 429);
    assert.ok(blocked.headers.get('retry-after'));
  });
});
