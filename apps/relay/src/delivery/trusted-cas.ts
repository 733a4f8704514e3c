import { ConfigError } from '@smarthost/config';
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * The CAs a `require_verified` route's server may chain to: Node's bundled roots plus those in `file`. Giving Node
 * a `ca` list replaces its roots, hence both. Undefined without a file (Node's default). A file without a readable
 * certificate stops start-up, naming the variable: silently trusting nothing extra would defer every such route.
 */
export async function trustedCas(file: string): Promise<readonly string[] | undefined> {
  if (file === '') return undefined;
  let extra: string[];
  try {
    extra = (await readFile(file, 'utf8')).match(PEM_CERTIFICATE) ?? [];
    if (extra.length === 0) throw new Error('no PEM certificate in it');
    // Parsing throws on a malformed certificate.
    for (const pem of extra) new X509Certificate(pem);
  } catch (error) {
    throw new ConfigError([`DELIVERY_TLS_CA_FILE: ${file}: ${error instanceof Error ? error.message : String(error)}`]);
  }
  return [...rootCertificates, ...extra];
}
