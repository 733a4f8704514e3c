import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * A bare `smtp-server` peer in its own process: plaintext (no STARTTLS, like Postfix `smtp-sink`), no AUTH,
 * accepts every message and discards it. Counts messages, and those that arrive DKIM-signed, for the parent
 * (fork IPC: `{ type: 'stats' }` → `{ type: 'stats', received, signed }`).
 */
let received = 0;
let signed = 0;

const server = new SMTPServer({
  name: 'node-sink.bench.test',
  disabledCommands: ['STARTTLS', 'AUTH'],
  authOptional: true,
  logger: false,
  maxClients: 2000,
  size: 10 * 1024 * 1024,
  onData(stream, _session, callback) {
    let first = true;
    stream.on('data', (chunk: Buffer) => {
      if (first && chunk.subarray(0, 15).toString('latin1').toLowerCase() === 'dkim-signature:') signed += 1;
      first = false;
    });
    stream.on('end', () => {
      received += 1;
      callback();
    });
  },
});

server.on('error', (error) => process.stderr.write(`node sink error: ${String(error)}\n`));
server.listen(0, '127.0.0.1', () => {
  const { port } = server.server.address() as AddressInfo;
  process.send?.({ type: 'ready', port });
});

process.on('message', (message: { type?: string }) => {
  if (message.type === 'stats') process.send?.({ type: 'stats', received, signed });
  if (message.type === 'reset') {
    received = 0;
    signed = 0;
    process.send?.({ type: 'stats', received, signed });
  }
});
process.on('disconnect', () => server.close(() => process.exit(0)));
