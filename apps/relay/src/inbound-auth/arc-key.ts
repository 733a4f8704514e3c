import type { Logger } from '@smarthost/logger';
import { generateKeyPairSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/**
 * The private key the relay seals with: from ARC_KEY_FILE, or (outside production, which refuses to start without
 * one) a 2048-bit key made at start whose public half is logged, like the self-signed TLS certificate of the demo.
 */
export async function loadArcKey(file: string, selectorName: string, log: Logger): Promise<string> {
  if (file !== '') return readFile(file, 'utf8');
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const p = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  log.warn({ record: selectorName, txt: `v=DKIM1; k=rsa; p=${p}` }, 'ARC_KEY_FILE not set: sealing with a key generated at start (demo only)');
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}
