import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '@smarthost/config';
import { newMessageId, type DeliveryJob, type RelayEvent } from '@smarthost/queues';
import { TEST_RETURN_PATH_KEY } from '../../test/return-path-keys';
import { storedEvents } from '../../test/stored-events';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { relayConfigSchema } from '../../config/relay-config';
import { deliveryConfigSchema, type DeliveryWorkerConfig } from '../delivery-config';

/** The relay config as the lead will merge it: relay variables plus the delivery fragment. */
export const deliveryWorkerConfigSchema = relayConfigSchema.extend(deliveryConfigSchema.shape);

export function workerConfig(env: Record<string, string>): DeliveryWorkerConfig {
  return loadConfig(deliveryWorkerConfigSchema, {
    NODE_ENV: 'test',
    RELAY_NODE_TOKEN: 'test-node-token-0123456789',
    RETURN_PATH_KEY: TEST_RETURN_PATH_KEY,
    RELAY_HOSTNAME: 'worker.smarthost.test',
    DELIVERY_BACKOFF_BASE_SECONDS: '1',
    DELIVERY_BACKOFF_MAX_SECONDS: '2',
    DELIVERY_CONNECT_TIMEOUT_SECONDS: '3',
    LOG_LEVEL: 'silent',
    ...env,
  });
}

export interface DkimKeyFixture {
  privateKeyPem: string;
  /** The TXT value to publish at `<selector>._domainkey.<domain>`. */
  txt: string;
}

export function dkimKey(): DkimKeyFixture {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  return { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), txt: `v=DKIM1; k=rsa; p=${spki}` };
}

export interface KeyServer {
  url: string;
  /** Authorization headers seen, to check the node token is sent. */
  readonly authorizations: string[];
  close(): Promise<void>;
}

/** A real HTTP server standing in for the API's `GET /v1/relay/dkim/{domainId}`. */
export async function startKeyServer(keys: Record<string, { domain: string; selector: string; privateKeyPem: string }>): Promise<KeyServer> {
  const authorizations: string[] = [];
  const server: Server = createServer((request, response) => {
    authorizations.push(request.headers.authorization ?? '');
    const match = /^\/v1\/relay\/dkim\/([^/]+)$/.exec(request.url ?? '');
    const key = match ? keys[decodeURIComponent(match[1] as string)] : undefined;
    response.writeHead(key ? 200 : 404, { 'content-type': 'application/json' });
    response.end(JSON.stringify(key ?? { message: 'not found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    authorizations,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export function rawMessage(from: string, to: string, messageIdHeader: string): string {
  return [
    `From: Sender <${from}>`,
    `To: <${to}>`,
    'Subject: delivery test',
    `Message-ID: <${messageIdHeader}>`,
    'Date: Sat, 28 Nov 2026 22:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Hello from the delivery worker test.',
    '',
  ].join('\r\n');
}

export function deliveryJob(recipients: string[], overrides: Partial<DeliveryJob> = {}): DeliveryJob {
  const messageId = newMessageId();
  const raw = rawMessage('sender@example.com', recipients[0] as string, `${messageId}@example.com`);
  return {
    messageId,
    tenantId: 'tenant-1',
    domainId: 'domain-1',
    credentialId: 'credential-1',
    direction: 'outbound',
    mailFrom: 'sender@example.com',
    recipients: recipients.map((address) => ({ address, target: null })),
    raw: Buffer.from(raw).toString('latin1'),
    size: raw.length,
    receivedAt: new Date().toISOString(),
    relayNode: 'relay.smarthost.test',
    clientIp: '127.0.0.1',
    ...overrides,
  } as DeliveryJob;
}

export interface QueueProbe {
  enqueue(data: unknown, jobId: string): Promise<void>;
  /** Every event stored so far, batches flattened and validated as the ingest reads them. */
  events(): Promise<RelayEvent[]>;
  deadLetters(): Promise<{ id: string; data: Record<string, unknown> }[]>;
  /** Delivery jobs not finished yet (waiting, delayed or active). */
  pending(): Promise<number>;
  close(): Promise<void>;
}

/** The producer and observer side of the queues a worker uses. */
export function queueProbe(connection: Redis, prefix: string): QueueProbe {
  const delivery = new Queue('delivery', { connection, prefix });
  const events = new Queue('events', { connection, prefix });
  const dead = new Queue('delivery-dead-letter', { connection, prefix });
  return {
    enqueue: async (data, jobId) => {
      await delivery.add('deliver', data, { jobId });
    },
    events: async () => (await events.getJobs(['waiting', 'delayed', 'active', 'completed'])).flatMap((job) => storedEvents(job.data)),
    deadLetters: async () => (await dead.getJobs(['waiting'])).map((job) => ({ id: String(job.id), data: job.data as Record<string, unknown> })),
    pending: () => delivery.getJobCountByTypes('waiting', 'delayed', 'active', 'prioritized'),
    close: async () => {
      await Promise.all([delivery.close(), events.close(), dead.close()]);
    },
  };
}
