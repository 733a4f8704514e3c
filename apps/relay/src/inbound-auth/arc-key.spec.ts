import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '@smarthost/logger';
import { loadArcKey } from './arc-key';

describe('loadArcKey', () => {
  const log = createLogger({ name: 'arc-key-test', level: 'silent' });
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'arc-key-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('reads an RSA key from the file', async () => {
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await writeFile(join(dir, 'rsa.pem'), pem);
    assert.equal(await loadArcKey(join(dir, 'rsa.pem'), 'arc._domainkey.relay.test', log), pem);
  });

  it('stops start-up on a file that holds no RSA private key, instead of failing every message later', async () => {
    await writeFile(join(dir, 'junk.pem'), 'not a key');
    await assert.rejects(loadArcKey(join(dir, 'junk.pem'), 'arc._domainkey.relay.test', log));
    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await writeFile(join(dir, 'ed.pem'), ed);
    await assert.rejects(loadArcKey(join(dir, 'ed.pem'), 'arc._domainkey.relay.test', log), /not RSA/);
  });

  it('makes a key when none is configured (demo and tests)', async () => {
    assert.match(await loadArcKey('', 'arc._domainkey.relay.test', log), /BEGIN PRIVATE KEY/);
  });
});
