import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { PrismaClient } from '@smarthost/db';
import { createLogger } from '@smarthost/logger';
import { createQueue, createRedisConnection, eventId, MAX_EVENTS_PER_JOB, newMessageId, parseRelayEvent, QUEUE_NAMES, type RelayEvent } from '@smarthost/queues';
import type { Queue } from 'bullmq';
import type { TestApp } from '../test/test-app';
import { startEventIngest } from './event-ingest.worker';

/** The events queue as relays and delivery workers produce to it: validated events, batched into jobs. */
export class EventProducer {
  readonly queue: Queue<unknown>;
  /** What the ingest logged, one JSON line each. */
  readonly logs: string[] = [];
  private readonly connection;

  constructor(private readonly app: TestApp) {
    this.connection = createRedisConnection({ url: app.config.REDIS_URL, prefix: app.config.REDIS_PREFIX }, 'producer');
    this.queue = createQueue<unknown>(QUEUE_NAMES.events, {
      connection: this.connection,
      prefix: app.config.REDIS_PREFIX,
      defaultJobOptions: { removeOnComplete: true, attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
    });
  }

  /** As one batch job per MAX_EVENTS_PER_JOB events, the way relays and workers write them (EventWriter). */
  async publish(events: RelayEvent[]): Promise<void> {
    for (let start = 0; start < events.length; start += MAX_EVENTS_PER_JOB) {
      const payloads = events.slice(start, start + MAX_EVENTS_PER_JOB).map((event) => parseRelayEvent(event));
      await this.publishRaw({ events: payloads });
    }
  }

  /** Any payload, e.g. a bare event as a node before batching wrote it, or a batch with a bad event. */
  async publishRaw(data: unknown, jobId = `events-${randomUUID()}`): Promise<void> {
    await this.queue.add('events', data, { jobId });
  }

  /** Runs the real ingest worker until the queue is empty; returns the jobs that failed. */
  async ingest(): Promise<{ failed: string[] }> {
    const ingest = startEventIngest({
      prisma: this.app.prisma,
      logger: createLogger({ name: 'ingest-test', level: 'info', destination: lineSink(this.logs) }),
      redisUrl: this.app.config.REDIS_URL,
      prefix: this.app.config.REDIS_PREFIX,
      maxWaitMs: 50,
    });
    try {
      for (let i = 0; i < 400; i += 1) {
        const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        if (Object.values(counts).every((n) => n === 0)) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    } finally {
      await ingest.close();
    }
    const failed = await this.queue.getFailed();
    return { failed: failed.map((job) => `${job.id}: ${job.failedReason}`) };
  }

  async close(): Promise<void> {
    await this.queue.close();
    await this.connection.quit();
  }
}

export interface TenantWorld {
  tenantId: string;
  domainId: string;
  domain: string;
  credentialId: string;
}

/** A tenant's verified sending domain and SMTP credential, as the events name them. */
export async function sendingSetup(prisma: PrismaClient, tenantId: string, domain: string): Promise<TenantWorld> {
  const row = await prisma.domain.create({ data: { tenantId, name: domain, verifiedName: domain, status: 'verified', verificationToken: randomUUID() } });
  const credential = await prisma.smtpCredential.create({
    data: { tenantId, name: 'app', username: `u-${randomUUID().slice(0, 8)}`, secretDigest: 'x'.repeat(64) },
  });
  return { tenantId, domainId: row.id, domain, credentialId: credential.id };
}

const NODE = 'relay-test-1';

export function acceptedEvent(world: TenantWorld, at: string, recipients: string[], messageId = newMessageId(Date.parse(at))): RelayEvent {
  return {
    eventId: eventId('accepted', messageId),
    type: 'accepted',
    tenantId: world.tenantId,
    domainId: world.domainId,
    credentialId: world.credentialId,
    messageId,
    direction: 'outbound',
    code: null,
    smtpCode: 250,
    phase: 'data',
    mailFrom: `app@${world.domain}`,
    recipients,
    size: 1234,
    clientIp: '192.0.2.10',
    node: NODE,
    occurredAt: at,
    detail: null,
    attempt: null,
    enhancedCode: null,
    remoteMta: null,
    subject: 'Order 17 has shipped',
    headerFrom: 'Shop <app@a.example>',
    messageIdHeader: `<${messageId}@a.example>`,
  };
}

export function outcomeEvent(
  accepted: RelayEvent,
  type: 'delivered' | 'deferred' | 'bounced',
  recipient: string,
  at: string,
  attempt: number,
  reply: { smtpCode: number; detail: string; code?: string | null } = { smtpCode: 250, detail: '250 2.0.0 ok' },
): RelayEvent {
  return {
    ...accepted,
    eventId: eventId(type, accepted.messageId ?? '', recipient, attempt),
    type,
    code: reply.code ?? null,
    smtpCode: reply.smtpCode,
    phase: 'delivery',
    recipients: [recipient],
    node: 'worker-test-1',
    occurredAt: at,
    detail: reply.detail,
    attempt,
    enhancedCode: /^\d{3} ([245]\.\d{1,3}\.\d{1,3})/.exec(reply.detail)?.[1] ?? null,
    remoteMta: 'mx.dest.test',
  };
}

export function rejectedEvent(tenantId: string | null, at: string, code: string, session = randomUUID()): RelayEvent {
  return {
    eventId: eventId('rejected', NODE, session, 1),
    type: 'rejected',
    tenantId,
    domainId: null,
    credentialId: null,
    messageId: null,
    direction: tenantId === null ? 'inbound' : 'outbound',
    code,
    smtpCode: 554,
    phase: 'rcpt',
    mailFrom: 'spammer@elsewhere.test',
    recipients: ['victim@elsewhere.test'],
    size: null,
    clientIp: '198.51.100.7',
    node: NODE,
    occurredAt: at,
    detail: '554 5.7.1 relay access denied',
    attempt: null,
    enhancedCode: null,
    remoteMta: null,
    subject: null,
    headerFrom: null,
    messageIdHeader: null,
  };
}

function lineSink(lines: string[]): NodeJS.WritableStream {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
}
