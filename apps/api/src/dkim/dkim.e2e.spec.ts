import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createPrivateKey, createPublicKey, randomUUID, sign, verify as verifySignature } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { publish, recordOf } from '../domains/test/publish-records';
import type { DomainView } from '../domains/domain-schemas';
import { startDnsServer, type TestDnsServer } from '@smarthost/testkit';
import { createTenantFixture, httpClient, type TenantFixture } from '../test/fixtures';
import { startTestApp, type TestApp } from '../test/test-app';
import { activeDkimKey } from './active-dkim-key';
import { dkimKeyring } from './dkim-crypto';

const run = promisify(execFile);

describe('DKIM keys', () => {
  let dns: TestDnsServer;
  let app: TestApp;
  let tenant: TenantFixture;
  let api: ReturnType<typeof httpClient>;
  /** Every HTTP response body of this file, to search for private keys at the end. */
  const seen: string[] = [];
  const call = async <T = DomainView>(method: string, path: string, body?: unknown) => {
    const response = await api<T>(method, path, body);
    seen.push(JSON.stringify(response.body));
    return response;
  };
  const addVerified = async () => {
    const created = (await call('POST', '/v1/domains', { name: `k${randomUUID().slice(0, 8)}.example.test` })).body;
    publish(dns, created, { only: ['ownership', 'spf', 'dkim'] });
    const verified = (await call('POST', `/v1/domains/${created.id}/verify`)).body;
    assert.equal(verified.status, 'verified');
    return verified;
  };
  const pendingKey = (domain: DomainView) => domain.dkimKeys.find((key) => key.status === 'pending')!;
  const status = (domain: DomainView) => Object.fromEntries(domain.dkimKeys.map((key) => [key.selector, key.status]));

  before(async () => {
    dns = await startDnsServer();
    app = await startTestApp({ DNS_SERVERS: dns.server });
    tenant = await createTenantFixture(app.prisma);
    api = httpClient(app.url, tenant.auth);
  });
  after(async () => {
    await app?.close();
    await dns?.close();
  });

  it('rotates without ever leaving the domain unsigned: pending, verified, active; the old key retires but stays published', async () => {
    const domain = await addVerified();
    const first = domain.dkimKeys[0]!;
    assert.equal(first.status, 'active');
    assert.equal((await call('POST', `/v1/domains/${domain.id}/dkim/${first.id}/activate`)).status, 200, 'activating the active key is a no-op');

    const rotated = await call('POST', `/v1/domains/${domain.id}/dkim/rotate`);
    assert.equal(rotated.status, 201);
    const second = pendingKey(rotated.body);
    assert.notEqual(second.selector, first.selector);
    const secondRecord = rotated.body.records.find((record) => record.host.startsWith(`${second.selector}.`))!;
    assert.equal(secondRecord.status, 'pending');
    assert.equal(secondRecord.value, `v=DKIM1; k=rsa; p=${second.publicKey}`);
    assert.ok(rotated.body.zone.some((line) => line.startsWith(`${secondRecord.host}. 3600 IN TXT`)));
    assert.equal((await call('POST', `/v1/domains/${domain.id}/dkim/rotate`)).status, 409, 'one rotation at a time');

    const early = await call<any>('POST', `/v1/domains/${domain.id}/dkim/${second.id}/activate`);
    assert.equal(early.status, 412, 'not before its record is published and verified');
    assert.match(early.body.error.message, new RegExp(second.selector));

    dns.set(secondRecord.host, 'TXT', [secondRecord.value]);
    const checked = (await call('POST', `/v1/domains/${domain.id}/verify`)).body;
    assert.equal(recordOf(checked, 'dkim', secondRecord.host).status, 'ok');
    assert.ok(pendingKey(checked).verifiedAt, 'verify marks the published key verified');
    assert.deepEqual(status(checked), { [first.selector]: 'active', [second.selector]: 'pending' }, 'and leaves activation to the customer');

    const activated = await call('POST', `/v1/domains/${domain.id}/dkim/${second.id}/activate`);
    assert.equal(activated.status, 200);
    assert.deepEqual(status(activated.body), { [first.selector]: 'retiring', [second.selector]: 'active' });
    assert.ok(activated.body.records.some((record) => record.host.startsWith(`${first.selector}.`)), 'the retiring key stays published');
    assert.equal((await call('POST', `/v1/domains/${domain.id}/dkim/${first.id}/activate`)).status, 409);

    const signing = await activeDkimKey(app.prisma, domain.id, dkimKeyring(app.config));
    assert.equal(signing?.selector, second.selector);
    assert.equal(signing?.domain, domain.name);
    const signature = sign('sha256', Buffer.from('dkim header hash'), createPrivateKey(signing!.privateKeyPem));
    const published = createPublicKey({ key: Buffer.from(second.publicKey, 'base64'), format: 'der', type: 'spki' });
    assert.ok(verifySignature('sha256', Buffer.from('dkim header hash'), published, signature), 'signs with the published key');

    const third = pendingKey((await call('POST', `/v1/domains/${domain.id}/dkim/rotate`)).body);
    dns.set(`${third.selector}._domainkey.${domain.name}`, 'TXT', [`v=DKIM1; k=rsa; p=${third.publicKey}`]);
    await call('POST', `/v1/domains/${domain.id}/verify`);
    const final = (await call('POST', `/v1/domains/${domain.id}/dkim/${third.id}/activate`)).body;
    assert.deepEqual(status(final), { [first.selector]: 'retired', [second.selector]: 'retiring', [third.selector]: 'active' });
    assert.ok(!final.records.some((record) => record.host.startsWith(`${first.selector}.`)), 'a retired key is withdrawn from DNS');

    const actions = await app.prisma.auditLog.findMany({ where: { tenantId: tenant.tenantId, action: { startsWith: 'dkim.' } }, select: { action: true } });
    assert.deepEqual(
      actions.map((row) => row.action).sort(),
      ['dkim.activated', 'dkim.activated', 'dkim.activated', 'dkim.rotated', 'dkim.rotated'],
    );
  });

  it('refuses to rotate before the domain has an active key (412)', async () => {
    const created = (await call('POST', '/v1/domains', { name: `p${randomUUID().slice(0, 8)}.example.test` })).body;
    assert.equal((await call('POST', `/v1/domains/${created.id}/dkim/rotate`)).status, 412);
    assert.equal(await activeDkimKey(app.prisma, created.id, dkimKeyring(app.config)), null);
  });

  it("answers 404 for a key of another of the tenant's domains or an unknown key", async () => {
    const one = await addVerified();
    const other = await addVerified();
    const otherKey = other.dkimKeys[0]!.id;
    assert.equal((await call('POST', `/v1/domains/${one.id}/dkim/${otherKey}/activate`)).status, 404);
    assert.equal((await call('POST', `/v1/domains/${one.id}/dkim/${randomUUID()}/activate`)).status, 404);
    assert.equal((await call('POST', `/v1/domains/${one.id}/dkim/nope/activate`)).status, 400);
  });

  it('never shows a private key: not in responses, not in logs, not in a database dump', async () => {
    await addVerified();
    const keys = await app.prisma.dkimKey.findMany({ select: { domainId: true } });
    const keyring = dkimKeyring(app.config);
    const secrets: string[] = [];
    for (const { domainId } of keys) {
      const key = await activeDkimKey(app.prisma, domainId, keyring);
      if (!key) continue;
      const der = createPrivateKey(key.privateKeyPem).export({ format: 'der', type: 'pkcs8' });
      // Long slices of the key in every encoding a dump could show it in.
      // bytea columns dump as hex, so also the hex of the PEM's text, which is what a plaintext column would hold.
      const base64 = der.toString('base64').slice(100, 160);
      secrets.push(base64, der.toString('hex').slice(200, 280), Buffer.from(base64).toString('hex'));
    }
    assert.ok(secrets.length >= 6);

    const { stdout: dump } = await run('pg_dump', ['--data-only', '--inserts', app.config.DATABASE_URL], { maxBuffer: 64 * 1024 * 1024 });
    assert.match(dump, /dkim_keys/, 'the dump has the key table');
    for (const [where, text] of [['responses', seen.join('\n')], ['logs', app.logs.join('\n')], ['database dump', dump]] as const) {
      assert.ok(!text.includes('PRIVATE KEY') && !text.includes(Buffer.from('PRIVATE KEY').toString('hex')), `no PEM in ${where}`);
      for (const secret of secrets) assert.ok(!text.includes(secret), `no key material in ${where}`);
    }
  });
});
