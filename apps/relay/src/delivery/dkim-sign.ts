import { createHash, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import type { DkimSigningKey } from './dkim-keys';

export class DkimSignError extends Error {
  override readonly name = 'DkimSignError';
}

// mailauth's own canonicalization and header formatting (mailauth is pinned exactly and has no "exports" map;
// dkim-sign.spec.ts checks the result is byte for byte what its dkimSign makes). Its dkimSign itself parses the
// PEM key for every message and signs synchronously, ~2 ms of event-loop time per message with RSA-2048; here
// the parsed KeyObject is kept per key and the RSA operation runs on libuv's thread pool.
interface ParsedHeader {
  key: string;
  casedKey: string;
  line: Buffer;
}
interface SigningHeaderLines {
  keys: string;
  headers: ParsedHeader[];
}
type HeaderOptions = Record<string, unknown>;
interface MailauthSigner extends NodeJS.WritableStream {
  headers: { parsed: ParsedHeader[] } | false;
  bodyHashes: Map<string, { hash: string | null }>;
  finalize(): Promise<void>;
}
/* eslint-disable @typescript-eslint/no-require-imports */
const { DkimSigner } = require('mailauth/lib/dkim/dkim-signer') as { DkimSigner: new (options: object) => MailauthSigner };
const { generateCanonicalizedHeader } = require('mailauth/lib/dkim/header') as {
  generateCanonicalizedHeader(type: 'DKIM', lines: SigningHeaderLines, options: HeaderOptions): { canonicalizedHeader: Buffer; dkimHeaderOpts: HeaderOptions };
};
const tools = require('mailauth/lib/tools') as {
  writeToStream(stream: NodeJS.WritableStream, input: Buffer): Promise<void>;
  getSigningHeaderLines(parsed: ParsedHeader[], fieldNames?: string): SigningHeaderLines;
  formatSignatureHeaderLine(type: 'DKIM', values: HeaderOptions, folded: boolean): string;
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** mailauth's signer up to the body hash and the parsed headers; the signing step is ours. */
class DigestingSigner extends DkimSigner {
  digested = false;

  override async finalize(): Promise<void> {
    this.digested = true;
  }
}

const CANONICALIZATION = 'relaxed/relaxed';
const ALGORITHMS: Record<string, 'rsa' | 'ed25519'> = { 'rsa-sha256': 'rsa', 'ed25519-sha256': 'ed25519' };

// Per key object: the provider hands out the same object until its cache entry expires, and a WeakMap keeps
// no secret alive longer than the provider does.
const parsedKeys = new WeakMap<DkimSigningKey, KeyObject>();

function privateKeyOf(key: DkimSigningKey, keyType: 'rsa' | 'ed25519'): KeyObject {
  let keyObject = parsedKeys.get(key);
  if (!keyObject) {
    try {
      keyObject = createPrivateKey({ key: key.privateKeyPem, format: 'pem' });
    } catch (error) {
      throw new DkimSignError(`DKIM signing failed for ${key.domain}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    parsedKeys.set(key, keyObject);
  }
  if (keyObject.asymmetricKeyType !== keyType) {
    throw new DkimSignError(`DKIM signing failed for ${key.domain}: Invalid key type: "${keyObject.asymmetricKeyType}" (expecting "${keyType}")`);
  }
  return keyObject;
}

function signAsync(algorithm: string | null, data: Buffer, key: KeyObject): Promise<Buffer> {
  return new Promise((resolve, reject) => sign(algorithm, data, key, (error, signature) => (error ? reject(error) : resolve(signature))));
}

/**
 * Prepends a DKIM-Signature (RFC 6376) to the message. relaxed/relaxed survives the header re-folding and
 * whitespace changes that relays on the way commonly make (RFC 6376 §3.4). The rest of the message, Message-ID
 * included, is unchanged, so a retried delivery carries the same message. `signTime` (t=) is for tests.
 */
export async function signMessage(message: Buffer, key: DkimSigningKey, signTime: Date = new Date()): Promise<Buffer> {
  const keyType = ALGORITHMS[key.algorithm];
  if (!keyType) throw new DkimSignError(`DKIM signing failed for ${key.domain}: unsupported algorithm "${key.algorithm}"`);
  const keyObject = privateKeyOf(key, keyType);
  const signature = { signingDomain: key.domain, selector: key.selector, privateKey: key.privateKeyPem, algorithm: key.algorithm, canonicalization: CANONICALIZATION };
  const digest = new DigestingSigner({ canonicalization: CANONICALIZATION, signatureData: [signature] });
  await tools.writeToStream(digest, message);
  const bodyHash = [...digest.bodyHashes.values()][0]?.hash;
  if (!digest.digested || !digest.headers || !bodyHash) throw new DkimSignError(`DKIM signing failed for ${key.domain}: no signature`);

  // A fixed t= : left out, mailauth stamps the time once for the signed header and again when formatting it.
  const { canonicalizedHeader, dkimHeaderOpts } = generateCanonicalizedHeader('DKIM', tools.getSigningHeaderLines(digest.headers.parsed), {
    signingDomain: key.domain,
    selector: key.selector,
    algorithm: key.algorithm,
    canonicalization: CANONICALIZATION,
    bodyHash,
    signTime,
    instance: false,
  });
  let value: Buffer;
  try {
    // RFC 8463 §3: Ed25519 signs the SHA-256 hash of the canonicalized header, RSA the header itself.
    value =
      keyType === 'rsa'
        ? await signAsync('sha256', canonicalizedHeader, keyObject)
        : await signAsync(null, createHash('sha256').update(canonicalizedHeader).digest(), keyObject);
  } catch (error) {
    throw new DkimSignError(`DKIM signing failed for ${key.domain}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const header = tools.formatSignatureHeaderLine('DKIM', { ...dkimHeaderOpts, b: value.toString('base64') }, true);
  return Buffer.concat([Buffer.from(`${header}\r\n`, 'latin1'), message]);
}
