import type { Logger } from '@smarthost/logger';
import { readFile } from 'node:fs/promises';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  key: string;
  cert: string;
}

/** The configured certificate, or — demo only — a fresh self-signed one, which clients cannot verify. */
export async function loadTlsMaterial(certFile: string, keyFile: string, hostname: string, logger: Logger): Promise<TlsMaterial> {
  if (certFile !== '' && keyFile !== '') {
    const [cert, key] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
    return { cert, key };
  }
  logger.warn({ hostname }, 'TLS_CERT_FILE/TLS_KEY_FILE not set: using a self-signed certificate (demo only)');
  return selfSigned(hostname);
}

async function selfSigned(hostname: string): Promise<TlsMaterial> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const pems = await generate([{ name: 'commonName', value: hostname }], {
    // RSA: selfsigned 5.5.0 fails on EC keys ("Cannot get schema for 'AlgorithmIdentifier' target",
    // duplicate @peculiar/asn1-schema copies); about 100 ms at start, once.
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + 365 * 24 * 3600_000),
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: hostname }] }],
  });
  return { key: pems.private, cert: pems.cert };
}
