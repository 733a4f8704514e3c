import type { Logger } from '@smarthost/logger';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/**
 * The private key the relay seals with: from ARC_KEY_FILE, or (outside production, which refuses to start without
 * one) a 2048-bit key made at start, like the self-signed TLS certificate of the demo. A file that holds no RSA
 * private key stops start-up here, instead of failing every port-25 message later. The TXT record to publish is
 * logged either way (it holds only the public key).
 */
export async function loadArcKey(file: string, recordName: string, log: Logger): Promise<string> {
  const pem = file === '' ? generated() : await readFile(file, 'utf8');
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'rsa') throw new Error(`ARC_KEY_FILE: ${file} holds a ${String(key.asymmetricKeyType)} key, not RSA`);
  const p = createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('base64');
  const fields = { record: recordName, txt: `v=DKIM1; k=rsa; p=${p}` };
  if (file === '') log.warn(fields, 'ARC_KEY_FILE not set: sealing with a key generated at start (demo only)');
  else log.info(fields, 'ARC sealing key loaded; publish this record');
  return pem;
}

function generated(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}
