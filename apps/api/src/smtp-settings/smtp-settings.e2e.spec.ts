import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTenantFixture, httpClient } from '../test/fixtures';
import { startTestApp, type TestApp } from '../test/test-app';

describe('GET /v1/smtp-settings', () => {
  let app: TestApp;
  let asViewer: ReturnType<typeof httpClient>;

  before(async () => {
    // As the demo runs it: unprivileged ports on localhost, the relay's generated certificate.
    app = await startTestApp({ SMTP_PUBLIC_HOST: 'localhost', SMTP_PUBLIC_PORTS: '2587/starttls,2465/tls', SMTP_TLS_CERTIFICATE: 'self-signed' });
    asViewer = httpClient(app.url, (await createTenantFixture(app.prisma, 'viewer')).auth);
  });
  after(async () => {
    await app?.close();
  });

  const DEMO = {
    host: 'localhost',
    ports: [
      { port: 2587, security: 'starttls' },
      { port: 2465, security: 'tls' },
    ],
    certificate: 'self-signed',
    authMechanisms: ['PLAIN', 'LOGIN'],
  };

  it('tells every member where the relay really listens, and that its certificate is self-signed', async () => {
    const { status, body } = await asViewer('GET', '/v1/smtp-settings');
    assert.equal(status, 200);
    assert.deepEqual(body, DEMO);
  });

  it('gives a new credential the same settings as the endpoint', async () => {
    const owner = httpClient(app.url, (await createTenantFixture(app.prisma)).auth);
    const { status, body } = await owner('POST', '/v1/credentials', { name: 'app' });
    assert.equal(status, 201);
    assert.deepEqual(body.smtp, { ...DEMO, username: body.username });
  });

  it('is for signed-in members only', async () => {
    const { status } = await httpClient(app.url)('GET', '/v1/smtp-settings');
    assert.equal(status, 401);
  });

  it('is in the OpenAPI document', async () => {
    const { body } = await httpClient(app.url)('GET', '/docs/openapi.json');
    assert.ok(body.paths['/v1/smtp-settings']?.get, 'documented');
  });
});
