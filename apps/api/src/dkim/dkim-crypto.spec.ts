import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { dkimKeyring, openPrivateKey, sealContext, sealPrivateKey } from './dkim-crypto';

const keyring = dkimKeyring({ DKIM_MASTER_KEY: randomBytes(32).toString('hex'), DKIM_MASTER_KEY_ID: 'k1' });
const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n';
const context = sealContext('0190a0b0-0000-7000-8000-000000000001', 'sh202611abcdef');

describe('DKIM key sealing', () => {
  it('round-trips, stores the key id and never the plaintext', () => {
    const sealed = sealPrivateKey(keyring, pem, context);
    assert.equal(sealed.encKeyId, 'k1');
    assert.equal(sealed.privateKeyIv.length, 12);
    assert.equal(sealed.privateKeyTag.length, 16);
    assert.ok(!Buffer.from(sealed.privateKeyEnc).toString('latin1').includes('PRIVATE KEY'));
    assert.equal(openPrivateKey(keyring, sealed, context), pem);
  });

  it('uses a fresh IV every time', () => {
    const a = sealPrivateKey(keyring, pem, context);
    const b = sealPrivateKey(keyring, pem, context);
    assert.notDeepEqual(a.privateKeyIv, b.privateKeyIv);
    assert.notDeepEqual(a.privateKeyEnc, b.privateKeyEnc);
  });

  it('refuses a ciphertext moved to another key row, tampered with, or sealed under an unknown master key', () => {
    const sealed = sealPrivateKey(keyring, pem, context);
    assert.throws(() => openPrivateKey(keyring, sealed, sealContext('0190a0b0-0000-7000-8000-000000000002', 'sh202611abcdef')));
    const tampered = new Uint8Array(sealed.privateKeyEnc);
    tampered[0] = tampered[0]! ^ 1;
    assert.throws(() => openPrivateKey(keyring, { ...sealed, privateKeyEnc: tampered }, context));
    assert.throws(() => openPrivateKey(keyring, { ...sealed, encKeyId: 'k0' }, context), /k0 is not configured/);
    const other = dkimKeyring({ DKIM_MASTER_KEY: randomBytes(32).toString('hex'), DKIM_MASTER_KEY_ID: 'k1' });
    assert.throws(() => openPrivateKey(other, sealed, context));
  });
});
