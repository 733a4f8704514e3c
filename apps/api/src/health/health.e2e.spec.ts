import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '@smarthost/logger';
import { createApp } from '../create-app';
import { httpClient } from '../test/fixtures';
import { startTestApp, type TestApp } from '../test/test-app';

/** The parsed config back as the variables it came from: lists and `key=value` maps comma-joined. */
function stringEnv(config: Record<string, unknown>): Record<string, string> {
  const asString = (value: unknown): string => {
    // SMTP_PUBLIC_PORTS: [{ port, security }] was written `port/security,…`.
    if (Array.isArray(value)) return value.map((item) => (item && typeof item === 'object' ? Object.values(item).join('/') : String(item))).join(',');
    if (value && typeof value === 'object') return Object.entries(value).map(([k, v]) => `${k}=${String(v)}`).join(',');
    return String(value);
  };
  return Object.fromEntries(Object.entries(config).map(([key, value]) => [key, asString(value)]));
}

describe('health, readiness and the HTTP conventions', () => {
  let app: TestApp;
  let http: ReturnType<typeof httpClient>;
  before(async () => {
    app = await startTestApp();
    http = httpClient(app.url);
  });
  after(() => app.close());

  it('answers /healthz and /readyz with Postgres and Redis checked', async () => {
    assert.deepEqual((await http('GET', '/healthz')).body, { status: 'ok' });
    const ready = await http('GET', '/readyz');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.checks.postgres.ok, true);
    assert.equal(ready.body.checks.redis.ok, true);
  });

  it('reports 503 when Postgres is unreachable', async () => {
    const config = { ...app.config, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere' };
    const broken = await createApp(config, createLogger({ name: 'api', level: 'silent' }));
    await broken.listen(0, '127.0.0.1');
    try {
      const { port } = broken.getHttpServer().address() as AddressInfo;
      const ready = await httpClient(`http://127.0.0.1:${port}`)('GET', '/readyz');
      assert.equal(ready.status, 503);
      assert.equal(ready.body.checks.postgres.ok, false);
      assert.deepEqual(ready.body.down, ['postgres']);
      // The driver's text names hosts, ports and database names: a stranger-reachable probe must not echo it.
      assert.equal(JSON.stringify(ready.body).includes('127.0.0.1:1'), false, JSON.stringify(ready.body));
      assert.equal(ready.body.checks.postgres.error, 'unreachable');
    } finally {
      await broken.close();
    }
  });

  it('serves the OpenAPI document generated from the code', async () => {
    const doc = await http('GET', '/docs/openapi.json');
    assert.equal(doc.status, 200);
    assert.equal(doc.body.info.title, 'Smarthost API');
  });

  it('answers unknown routes and unauthenticated calls with JSON errors carrying a correlation id', async () => {
    const missing = await http('GET', '/v1/no-such-thing');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'not_found');
    assert.equal(missing.body.error.correlationId, missing.headers.get('x-request-id'));
  });

  it('stops at start-up naming the bad variable', () => {
    const main = join(__dirname, '..', 'main.js');
    const result = spawnSync(process.execPath, [main], {
      env: { PATH: process.env.PATH, DATABASE_URL: 'mysql://nope', SESSION_SECRET: 'short', DKIM_MASTER_KEY: 'x' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /DATABASE_URL: must be a URL with scheme postgres or postgresql/);
    assert.match(result.stderr, /SESSION_SECRET/);
    assert.ok(!result.stderr.includes('short'), 'a secret value is never echoed');
  });

  it('refuses to start in production with COOKIE_SECURE=false, naming the variable', () => {
    const main = join(__dirname, '..', 'main.js');
    const result = spawnSync(process.execPath, [main], {
      env: { PATH: process.env.PATH, ...stringEnv(app.config), NODE_ENV: 'production', API_PORT: '0', COOKIE_SECURE: 'false' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /COOKIE_SECURE: must be true when NODE_ENV=production/);
  });

  it('refuses to start in production on a Redis that could lose queued work', () => {
    const main = join(__dirname, '..', 'main.js');
    // The shared test Redis runs without AOF, exactly the case production must refuse.
    const result = spawnSync(process.execPath, [main], {
      env: { PATH: process.env.PATH, ...stringEnv(app.config), NODE_ENV: 'production', API_PORT: '0', COOKIE_SECURE: 'true' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /Redis is not safe for queued mail: appendonly is "no"/);
  });
});
