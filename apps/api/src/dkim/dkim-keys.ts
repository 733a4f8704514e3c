import { generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { Prisma } from '@smarthost/db';
import { type DkimKeyring, sealContext, sealPrivateKey } from './dkim-crypto';

const generateKeyPairAsync = promisify(generateKeyPair);

// RFC 8301 §3.2: signers MUST use at least 1024 bits and SHOULD use 2048; 2048 still fits one TXT record.
const RSA_BITS = 2048;

export interface NewDkimKey {
  selector: string;
  /** base64 SubjectPublicKeyInfo (DER): the `p=` tag of the DKIM record. */
  publicKey: string;
  privateKeyPem: string;
}

/** An RSA key pair, generated off the event loop (2048-bit generation takes tens of milliseconds). */
export async function generateDkimKey(now: Date = new Date()): Promise<NewDkimKey> {
  const { publicKey, privateKey } = await generateKeyPairAsync('rsa', {
    modulusLength: RSA_BITS,
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { selector: dkimSelector(now), publicKey: publicKey.toString('base64'), privateKeyPem: privateKey };
}

/**
 * `sh<yyyymm><random>`: the month tells an operator how old a published key is; the random part keeps two
 * rotations in one month from colliding on the (domainId, selector) unique index.
 */
export function dkimSelector(now: Date): string {
  const month = `${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  return `sh${month}${randomBytes(3).toString('hex')}`;
}

/** The DKIM TXT record value (RFC 6376 §3.6.1). */
export function dkimRecordValue(publicKey: string): string {
  return `v=DKIM1; k=rsa; p=${publicKey}`;
}

export function dkimHost(selector: string, domain: string): string {
  return `${selector}._domainkey.${domain}`;
}

/** Row data for a new key; the private key leaves this function only sealed. */
export function dkimKeyRow(
  keyring: DkimKeyring,
  key: NewDkimKey,
  owner: { tenantId: string; domainId: string },
): Prisma.DkimKeyUncheckedCreateInput {
  return {
    tenantId: owner.tenantId,
    domainId: owner.domainId,
    selector: key.selector,
    publicKey: key.publicKey,
    status: 'pending',
    ...sealPrivateKey(keyring, key.privateKeyPem, sealContext(owner.domainId, key.selector)),
  };
}
