import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { rootCertificates } from 'node:tls';
import { testCertificateAuthority } from '@smarthost/testkit';
import { trustedCas } from './trusted-cas';

describe('trustedCas (DELIVERY_TLS_CA_FILE)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trusted-cas-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('empty: Node keeps its own roots', async () => {
    assert.equal(await trustedCas(''), undefined);
  });

  it('a CA file: trusted on top of the bundled roots, which a ca list would otherwise replace', async () => {
    const ca = await testCertificateAuthority();
    const file = join(dir, 'ca.pem');
    await writeFile(file, `# our private CA\n${ca.cert}`);
    const cas = await trustedCas(file);
    assert.equal(cas?.length, rootCertificates.length + 1);
    assert.equal(cas?.at(-1)?.trim(), ca.cert.trim());
  });

  it('a missing, empty or broken file stops start-up naming the variable', async () => {
    await writeFile(join(dir, 'empty.pem'), 'no certificate here\n');
    await writeFile(join(dir, 'broken.pem'), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    for (const name of ['missing.pem', 'empty.pem', 'broken.pem']) {
      await assert.rejects(trustedCas(join(dir, name)), (error: Error) => error.name === 'ConfigError' && /DELIVERY_TLS_CA_FILE/.test(error.message), name);
    }
  });
});
