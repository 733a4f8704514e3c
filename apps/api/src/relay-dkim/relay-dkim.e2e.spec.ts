import assert from 'node:assert/strict';
import { createPublicKey, createSign, createVerify } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startDnsServer, type TestDnsServer } from '@smarthost/testkit';
import type { DomainView } from '../domains/domain-schemas';
import { publish, recordOf } from '../domains/test/publish-records';
import { createTenantFixture, httpClient } from '../test/fixtures';
import { startTestApp, type TestApp } from '../test/test-app';

describe('DKIM keys for delivery workers (node-authenticated)', () => {
  const operatorToken = randomBytes(32).toString('hex');
  let app: TestApp;
  let dns: TestDnsServer;
  let nodeToken: string;
  let tenant: ReturnType<typeof httpClient>;

  before(async () => {
    dns = await startDnsServer();
    app = await startTestApp({ OPERATOR_TOKEN: operatorToken, DNS_SERVERS: dns.server });
    const node = await httpClient(app.url, { authorization: `Bearer ${operatorToken}` })('POST', '/v1/operator/relay-nodes', { name: 'worker-1' });
    nodeToken = node.body.token;
    tenant = httpClient(app.url, (await createTenantFixture(app.prisma)).auth);
  });
  after(async () => {
    await app.close();
    await dns.close();
  });

  it('serves the active key of a verified domain, matching the published public key', async () => {
    const domain: DomainView = (await tenant('POST', '/v1/domains', { name: 'signed.example' })).body;
    publish(dns, domain);
    assert.equal((await tenant('POST', `/v1/domains/${domain.id}/verify`)).body.status, 'verified');

    const reply = await httpClient(app.url, { authorization: `Bearer ${nodeToken}` })('GET', `/v1/relay/dkim/${domain.id}`);
    assert.equal(reply.status, 200);
    assert.equal(reply.body.domain, 'signed.example');
    const published = recordOf(domain, 'dkim').value.match(/p=([A-Za-z0-9+/=]+)/)?.[1];
    assert.ok(published, 'DKIM record carries p=');
    const publicKey = createPublicKey({ key: Buffer.from(published, 'base64'), format: 'der', type: 'spki' });
    const signature = createSign('sha256').update('probe').sign(reply.body.privateKeyPem);
    assert.ok(createVerify('sha256').update('probe').verify(publicKey, signature), 'served key signs for the published key');
    assert.ok(!app.logs.some((line) => line.includes('PRIVATE KEY')), 'the key is never logged');
  });

  it('answers 404 while a domain has no active key, and 401 without a node token', async () => {
    const pending: DomainView = (await tenant('POST', '/v1/domains', { name: 'pending.example' })).body;
    const asNode = httpClient(app.url, { authorization: `Bearer ${nodeToken}` });
    assert.equal((await asNode('GET', `/v1/relay/dkim/${pending.id}`)).status, 404);
    assert.equal((await httpClient(app.url)('GET', `/v1/relay/dkim/${pending.id}`)).status, 401);
    const tenantKey = await createTenantFixture(app.prisma);
    assert.equal((await httpClient(app.url, tenantKey.auth)('GET', `/v1/relay/dkim/${pending.id}`)).status, 401);
    assert.equal((await asNode('GET', '/v1/relay/dkim/not-a-uuid')).status, 400);
  });
});
