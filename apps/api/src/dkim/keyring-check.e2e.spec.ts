import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { insertDomain } from '../policy/policy-fixtures';
import { createTenantFixture } from '../test/fixtures';
import { startTestApp, type TestApp } from '../test/test-app';
import { dkimKeyring, sealContext, sealPrivateKey, type DkimKeyring } from './dkim-crypto';
import { assertKeyringOpensStoredKeys } from './keyring-check';

const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n';

describe('start-up check of DKIM_MASTER_KEY against the stored keys', () => {
  let app: TestApp;
  let configured: DkimKeyring;
  const otherSecret = randomBytes(32).toString('hex');

  const storeKey = async (keyring: DkimKeyring, selector: string) => {
    const { tenantId } = await createTenantFixture(app.prisma);
    const domain = await insertDomain(app.prisma, tenantId);
    const sealed = sealPrivateKey(keyring, PEM, sealContext(domain.id, selector));
    await app.prisma.dkimKey.create({ data: { tenantId, domainId: domain.id, selector, publicKey: 'MII', ...sealed } });
  };

  before(async () => {
    app = await startTestApp();
    configured = dkimKeyring(app.config);
  });
  after(() => app.close());

  it('passes with no stored key, and with keys sealed under the configured master key', async () => {
    await assertKeyringOpensStoredKeys(app.prisma, configured);
    await storeKey(configured, 'sh1');
    await assertKeyringOpensStoredKeys(app.prisma, configured);
  });

  it('refuses another secret under the same id, saying which id and what to do, never the key', async () => {
    const wrong = dkimKeyring({ DKIM_MASTER_KEY: otherSecret, DKIM_MASTER_KEY_ID: app.config.DKIM_MASTER_KEY_ID });
    await assert.rejects(assertKeyringOpensStoredKeys(app.prisma, wrong), (error: Error) => {
      assert.match(error.message, /does not open the DKIM keys stored under master key id "k1"/);
      assert.match(error.message, /DKIM_MASTER_KEY and DKIM_MASTER_KEY_ID/);
      assert.ok(!error.message.includes(otherSecret));
      return true;
    });
  });

  it('refuses when keys were sealed under a master key id that is not configured', async () => {
    await storeKey(dkimKeyring({ DKIM_MASTER_KEY: otherSecret, DKIM_MASTER_KEY_ID: 'k0' }), 'sh0');
    await assert.rejects(assertKeyringOpensStoredKeys(app.prisma, configured), /master key id "k0"/);
  });
});
