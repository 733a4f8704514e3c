import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { coalesceWrites, holdWrites } from './coalesce-writes';

describe('coalesceWrites', () => {
  const received: Buffer[] = [];
  const server = createServer((socket) => socket.on('data', (chunk: Buffer) => received.push(chunk)));
  let client: Socket;

  before(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    client = connect((server.address() as AddressInfo).port, '127.0.0.1');
    await once(client, 'connect');
    coalesceWrites(client);
    coalesceWrites(client);
  });

  after(async () => {
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  const arrived = async (bytes: number) => {
    while (Buffer.concat(received).length < bytes) await new Promise((resolve) => setTimeout(resolve, 5));
    return Buffer.concat(received.splice(0)).toString();
  };

  it('holds the writes of one turn of the event loop and sends them together, in order', async () => {
    assert.equal(client.write('MAIL FROM:<a@example.com>\r\n'), true);
    client.write('RCPT TO:<b@example.com>\r\n');
    client.write(Buffer.from('DATA\r\n'));
    assert.equal(client.writableCorked, 1, 'corked once, however many writes');
    assert.equal(client.writableLength, 58, 'nothing sent during the turn');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(client.writableCorked, 0);
    assert.equal(await arrived(58), 'MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n');
  });

  it('a hold keeps the writes back across turns until it is released, then they leave at that turn\'s end', async () => {
    const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
    const release = holdWrites(client);
    const second = holdWrites(client);
    client.write('250 2.0.0 Reset\r\n');
    await nextTurn();
    client.write('250 2.1.0 Sender ok\r\n');
    await nextTurn();
    assert.equal(client.writableCorked, 1, 'still corked after two turns');
    assert.equal(client.writableLength, 38);
    release();
    release();
    await nextTurn();
    assert.equal(client.writableLength, 38, 'another hold is still on: a release counts once');
    second();
    assert.equal(client.writableCorked, 1, 'released, but flushed at the end of the turn, not at once');
    await nextTurn();
    assert.equal(client.writableCorked, 0);
    assert.equal(await arrived(38), '250 2.0.0 Reset\r\n250 2.1.0 Sender ok\r\n');
  });

  it('corks again on the next turn, and end() still flushes what is held', async () => {
    client.write('QUIT\r\n', () => undefined);
    assert.equal(client.writableCorked, 1);
    client.end();
    assert.equal(await arrived(6), 'QUIT\r\n');
  });
});
