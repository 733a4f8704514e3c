import { hash } from 'node:crypto';
import { z } from 'zod';

const id = z.string().min(1).max(128);

/**
 * What happened to a message or a submission attempt. `complaint_unverified`: a spam complaint that no trusted
 * feedback loop signed, kept for the timeline and counted nowhere (ADR 0006).
 */
export const EVENT_TYPES = ['accepted', 'rejected', 'delivered', 'deferred', 'bounced', 'complained', 'complaint_unverified'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const relayEventSchema = z.object({
  /** Deterministic (see `eventId`): the job id, so an event emitted twice is stored once. */
  eventId: z.string().regex(/^[a-z_]+-[0-9a-f]{32}$/),
  type: z.enum(EVENT_TYPES),
  /** Null when the attempt was refused before a tenant was known (e.g. open-relay probes on port 25). */
  tenantId: id.nullable(),
  domainId: id.nullable(),
  credentialId: id.nullable(),
  /** Null for refusals before DATA was accepted. */
  messageId: z.string().max(64).nullable(),
  direction: z.enum(['outbound', 'inbound']),
  /** The refusal code (libs/relay-policy RefusalCode) or a delivery status; null for plain acceptance. */
  code: z.string().max(64).nullable(),
  smtpCode: z.number().int().min(200).max(599).nullable(),
  /** SMTP phase of a refusal: 'auth' | 'mail' | 'rcpt' | 'data' | delivery step. */
  phase: z.string().max(32).nullable(),
  mailFrom: z.string().max(320).nullable(),
  recipients: z.array(z.string().max(320)).max(1000),
  size: z.number().int().nonnegative().nullable(),
  clientIp: z.string().max(64).nullable(),
  node: z.string().max(255),
  occurredAt: z.iso.datetime({ offset: true }),
  detail: z.string().max(500).nullable(),
  /** Delivery events: which attempt (1-based), the RFC 3463 enhanced status code and the remote server. */
  attempt: z.number().int().positive().nullable().default(null),
  enhancedCode: z.string().regex(/^[245]\.\d{1,3}\.\d{1,3}$/).nullable().default(null),
  remoteMta: z.string().max(255).nullable().default(null),
  /** Accepted events: what the message log shows (decoded Subject, From and Message-ID headers). */
  subject: z.string().max(998).nullable().default(null),
  headerFrom: z.string().max(998).nullable().default(null),
  messageIdHeader: z.string().max(998).nullable().default(null),
});

/** An event as consumed (defaults applied); producers may leave the delivery-only fields out. */
export type RelayEvent = z.infer<typeof relayEventSchema>;
export type RelayEventInput = z.input<typeof relayEventSchema>;

export function parseRelayEvent(input: unknown): RelayEvent {
  return relayEventSchema.parse(input);
}

/**
 * Most events one events job carries. Producers write the events of one event-loop turn as one job (a BullMQ add
 * per event cost the relay a fifth of its throughput); the ingest stores them one by one, deduplicated by event id.
 */
export const MAX_EVENTS_PER_JOB = 100;

const eventBatchEnvelope = z.object({ events: z.array(z.unknown()).min(1).max(MAX_EVENTS_PER_JOB) });

/** The payload of an events job as producers write it. */
export interface EventBatch {
  events: RelayEventInput[];
}

export interface ParsedEventJob {
  events: RelayEvent[];
  /** What was wrong with each event of a batch that did not parse (`events.3.smtpCode: …`); those are left out. */
  invalid: string[];
}

/**
 * The events of one events job: a batch (`{ events: [...] }`), or one bare event, as nodes wrote them before they
 * batched (jobs of an older node may still be in the queue during an upgrade). One bad event in a batch is reported
 * in `invalid` and does not cost the others; a job that is neither shape throws a ZodError.
 */
export function parseEventJob(data: unknown): ParsedEventJob {
  if (typeof data !== 'object' || data === null || !('events' in data)) return { events: [relayEventSchema.parse(data)], invalid: [] };
  const parsed: ParsedEventJob = { events: [], invalid: [] };
  eventBatchEnvelope.parse(data).events.forEach((event, index) => {
    const result = relayEventSchema.safeParse(event);
    if (result.success) parsed.events.push(result.data);
    else parsed.invalid.push(result.error.issues.map((issue) => `events.${index}.${issue.path.map(String).join('.')}: ${issue.message}`).join('; '));
  });
  return parsed;
}

/**
 * A deterministic event id from what identifies the occurrence (e.g. message id + recipient + attempt, or
 * node + session id + command number), so a retried emit never duplicates an event.
 */
export function eventId(type: EventType, ...parts: readonly (string | number)[]): string {
  // One-shot hash(): no Hash object per event (this runs for every message the relay accepts).
  const digest = hash('sha256', [type, ...parts.map(String)].join('\u0000'), 'hex');
  return `${type}-${digest.slice(0, 32)}`;
}
