import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { insertDomain } from '../policy/policy-fixtures';
import { createTenantFixture } from '../test/fixtures';
import { startTestApp, type TestApp } from '../test/test-app';
import { dkimKeyring, sealContext, sealPrivateKey, type DkimKeyring } from './dkim-crypto';
import { assertKeyringOpensStoredKeys, StoredKeysSealedElsewhereError } from './keyring-check';

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
      assert.ok(error instanceof StoredKeysSealedElsewhereError);
      assert.match(error.message, /does not open the DKIM keys stored under master key id "k1"/);
      assert.match(error.message, /DKIM_MASTER_KEY=<that key> DKIM_MASTER_KEY_ID=k1/);
      assert.ok(!error.message.includes(otherSecret));
      return true;
    });
  });

  it('stops the API at start-up with what to do: restore the key, or reset a disposable database', () => {
    const main = join(__dirname, '..', 'main.js');
    const { config } = app;
    const env = {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      API_PORT: '0',
      DATABASE_URL: config.DATABASE_URL,
      REDIS_URL: config.REDIS_URL,
      REDIS_PREFIX: config.REDIS_PREFIX,
      SESSION_SECRET: randomBytes(32).toString('hex'),
      DKIM_MASTER_KEY: otherSecret,
    };
    const result = spawnSync(process.execPath, [main], { env, encoding: 'utf8', timeout: 30_000 });
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /^smarthost-api: DKIM_MASTER_KEY \(id k1\) does not open/);
    assert.match(result.stderr, /DKIM_MASTER_KEY_ID=k1/);
    assert.match(result.stderr, /DATABASE_URL=<its url> npm run db:reset/);
    assert.match(result.stderr, /`npm run demo` does this itself/);
    assert.ok(!result.stderr.includes(otherSecret), 'the key is never echoed');
  });

  it('refuses when keys were sealed under a master key id that is not configured', async () => {
    await storeKey(dkimKeyring({ DKIM_MASTER_KEY: otherSecret, DKIM_MASTER_KEY_ID: 'k0' }), 'sh0');
    await assert.rejects(assertKeyringOpensStoredKeys(app.prisma, configured), /master key id "k0"/);
  });
});
