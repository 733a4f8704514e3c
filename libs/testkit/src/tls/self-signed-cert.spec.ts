import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { AddressInfo } from 'node:net';
import { connect, createServer } from 'node:tls';
import { describe, it } from 'node:test';
import { selfSignedCert } from './self-signed-cert';

describe('selfSignedCert', () => {
  it('names every host and IP in subjectAltName', async () => {
    const { cert } = await selfSignedCert(['mx.example.test', '127.0.0.1']);
    const x509 = new X509Certificate(cert);
    assert.equal(x509.checkHost('mx.example.test'), 'mx.example.test');
    assert.equal(x509.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(x509.checkHost('other.example.test'), undefined);
  });

  it('serves TLS that a client trusting it verifies', async () => {
    const pair = await selfSignedCert(['localhost']);
    const server = createServer(pair, (socket) => socket.end('hello'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ca: pair.cert });
      await once(socket, 'secureConnect');
      assert.equal(socket.authorized, true);
      const [data] = (await once(socket, 'data')) as [Buffer];
      assert.equal(data.toString(), 'hello');
      socket.destroy();
    } finally {
      server.close();
    }
  });
});
