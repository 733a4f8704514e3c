import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { dkimSign, dkimVerify } from 'mailauth';
import type { DkimSigningKey } from './dkim-keys';
import { DkimSignError, signMessage } from './dkim-sign';

function keyPair(type: 'rsa' | 'ed25519'): { key: DkimSigningKey; txt: string } {
  const pair = type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ed25519');
  const spki = pair.publicKey.export({ type: 'spki', format: 'der' });
  // Ed25519 DNS records carry the raw 32-byte key (RFC 8463 §4.2), the last bytes of its SPKI.
  const p = (type === 'rsa' ? spki : spki.subarray(-32)).toString('base64');
  return {
    key: { domain: 'example.com', selector: `s-${type}`, privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), algorithm: `${type}-sha256` },
    txt: `v=DKIM1; k=${type}; p=${p}`,
  };
}

const MESSAGES: Record<string, string> = {
  plain: 'From: A <a@example.com>\r\nTo: b@dest.test\r\nSubject: hello\r\nMessage-ID: <1@example.com>\r\nDate: Sat, 28 Nov 2026 22:00:00 +0000\r\n\r\nHello.\r\n',
  folded: 'From: A <a@example.com>\r\nTo: b@dest.test,\r\n  c@dest.test\r\nSubject:   spaced \t out   \r\n\r\nline with trailing space   \r\n\r\n\r\n\r\n',
  duplicates: 'Received: one\r\nFrom: a@example.com\r\nTo: x@dest.test\r\nTo: y@dest.test\r\nSubject: two To\r\n\r\nbody\r\n',
  emptyBody: 'From: a@example.com\r\nTo: b@dest.test\r\nSubject: empty\r\n\r\n',
  bareLf: 'From: a@example.com\nTo: b@dest.test\nSubject: lf\n\nline one\nline two\n',
  eightBit: 'From: a@example.com\r\nTo: b@dest.test\r\nSubject: =?utf-8?q?gr=C3=BC=C3=9Fe?=\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGrüße aus Köln\r\n',
};

describe('signMessage', () => {
  for (const type of ['rsa', 'ed25519'] as const) {
    const { key, txt } = keyPair(type);
    for (const [name, text] of Object.entries(MESSAGES)) {
      it(`${type}, ${name}: byte for byte what mailauth's dkimSign makes, and it verifies`, async () => {
        const message = Buffer.from(text, 'utf8');
        const signTime = new Date('2026-11-28T22:00:00Z');
        const signed = await signMessage(message, key, signTime);
        const signature = { signingDomain: key.domain, selector: key.selector, privateKey: key.privateKeyPem, algorithm: key.algorithm, canonicalization: 'relaxed/relaxed' };
        const reference = await dkimSign(message, { ...signature, signTime, signatureData: [signature] });
        assert.deepEqual(reference.errors, []);
        assert.equal(signed.toString('latin1'), reference.signatures + message.toString('latin1'));

        const verified = await dkimVerify(signed, { resolver: async (lookup: string) => (lookup === `${key.selector}._domainkey.example.com` ? [[txt]] : []) } as never);
        assert.equal(verified.results[0]?.status.result, 'pass', verified.results[0]?.info);
      });
    }
  }

  it('fails with DkimSignError for a broken key, a key of the wrong type, an unknown algorithm or no header/body split', async () => {
    const { key } = keyPair('rsa');
    const message = Buffer.from(MESSAGES.plain as string);
    await assert.rejects(signMessage(message, { ...key, privateKeyPem: '-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n' }), DkimSignError);
    await assert.rejects(signMessage(message, { ...key, algorithm: 'ed25519-sha256' }), /Invalid key type/);
    await assert.rejects(signMessage(message, { ...key, algorithm: 'rsa-sha1' }), /unsupported algorithm/);
    await assert.rejects(signMessage(Buffer.from('From: a@example.com\r\nSubject: no body'), key), /no signature/);
  });
});
