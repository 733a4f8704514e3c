import { isIP } from 'node:net';
import { generate } from 'selfsigned';

export interface CertificatePair {
  key: string;
  cert: string;
}

const DEFAULT_NAMES = ['localhost', '127.0.0.1', '::1'];

// selfsigned 5.5.0 fails on EC keys ("Cannot get schema for 'AlgorithmIdentifier' target", an
// @peculiar/asn1-schema registry clash), so keys are RSA; RSA key generation costs ~100 ms, so the
// certificate for the default names is made once per process.
let defaultPair: Promise<CertificatePair> | undefined;

/**
 * A self-signed server certificate (PEM) for the given host names and IP addresses, with a
 * matching subjectAltName so clients that do verify (with this cert as CA) accept it.
 */
export function selfSignedCert(hostnames: readonly string[] = DEFAULT_NAMES): Promise<CertificatePair> {
  if (hostnames === DEFAULT_NAMES || hostnames.length === 0) return (defaultPair ??= generatePair(DEFAULT_NAMES));
  return generatePair(hostnames);
}

/** A certificate authority of a test's own, for servers whose certificates a client verifies (it trusts `cert`). */
export interface TestCertificateAuthority {
  /** The CA certificate (PEM), to configure as trusted. */
  cert: string;
  /** A server certificate for these names, signed by this CA. */
  issue(hostnames: readonly string[]): Promise<CertificatePair>;
}

export async function testCertificateAuthority(name = 'Smarthost Test CA'): Promise<TestCertificateAuthority> {
  const pems = await generate([{ name: 'commonName', value: name }], {
    ...validity(),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const ca = { key: pems.private, cert: pems.cert };
  return { cert: ca.cert, issue: (hostnames) => generatePair(hostnames, ca) };
}

function validity() {
  const notBeforeDate = new Date(Date.now() - 60_000);
  return {
    keyType: 'rsa' as const,
    keySize: 2048,
    algorithm: 'sha256' as const,
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + 7 * 24 * 3600_000),
  };
}

async function generatePair(names: readonly string[], ca?: CertificatePair): Promise<CertificatePair> {
  const pems = await generate([{ name: 'commonName', value: names[0] }], {
    ...validity(),
    ...(ca ? { ca } : {}),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: names.map((name) => (isIP(name) ? { type: 7 as const, ip: name } : { type: 2 as const, value: name })),
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
