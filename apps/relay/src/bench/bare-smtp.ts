import { createQueue, createRedisConnection, newMessageId, QUEUE_NAMES } from '@smarthost/queues';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * The `bench:relay` baselines, in their own process: a bare `smtp-server` with the relay's TLS settings
 * (STARTTLS on a submission-style port, AUTH PLAIN/LOGIN only after TLS) that accepts any credential and every
 * message. BARE_MODE=discard drops the message; BARE_MODE=bullmq stores it with one BullMQ `add` (no checks,
 * no quota, no event) before the 250 — the floor the relay's own work sits on.
 * Env: TLS_CERT_FILE, TLS_KEY_FILE, BARE_MODE, REDIS_URL, REDIS_PREFIX. Tells the parent its port over fork IPC.
 */
const mode = process.env.BARE_MODE === 'bullmq' ? 'bullmq' : 'discard';
const redis = mode === 'bullmq' ? createRedisConnection({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix: process.env.REDIS_PREFIX ?? 'x' }, 'producer') : undefined;
const queue = redis ? createQueue(QUEUE_NAMES.delivery, { connection: redis, prefix: process.env.REDIS_PREFIX ?? 'smarthost-bench-bare' }) : undefined;
let received = 0;

const server = new SMTPServer({
  key: readFileSync(process.env.TLS_KEY_FILE ?? ''),
  cert: readFileSync(process.env.TLS_CERT_FILE ?? ''),
  name: 'bare.bench.test',
  banner: 'bare',
  secure: false,
  authMethods: ['PLAIN', 'LOGIN'],
  allowInsecureAuth: false,
  disableReverseLookup: true,
  maxClients: 2000,
  size: 25 * 1024 * 1024,
  logger: false,
  onAuth(auth, _session, callback) {
    callback(null, { user: auth.username });
  },
  onData(stream, _session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => {
      if (queue) chunks.push(chunk);
    });
    stream.on('end', () => {
      received += 1;
      if (!queue) return callback();
      const messageId = newMessageId();
      queue.add('deliver', { messageId, raw: Buffer.concat(chunks).toString('latin1') }, { jobId: messageId }).then(
        () => callback(null, `2.0.0 OK queued as ${messageId}`),
        (error: Error) => callback(error),
      );
    });
  },
});

server.on('error', (error) => process.stderr.write(`bare smtp error: ${String(error)}\n`));
server.listen(0, '127.0.0.1', () => {
  const { port } = server.server.address() as AddressInfo;
  process.send?.({ type: 'ready', port });
});

process.on('message', (message: { type?: string }) => {
  if (message.type === 'stats') process.send?.({ type: 'stats', received });
});
process.on('disconnect', () =>
  server.close(() => {
    void (queue?.close() ?? Promise.resolve())
      .then(() => redis?.quit())
      .finally(() => process.exit(0));
  }),
);
