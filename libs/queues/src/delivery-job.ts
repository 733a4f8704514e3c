import { routeTlsModeSchema } from '@smarthost/relay-policy';
import { z } from 'zod';
import { isMessageId } from './message-id';

const id = z.string().min(1).max(128);
const messageId = z.string().refine(isMessageId, 'must be a message id (ULID)');

/**
 * A target queued by a relay of the previous release carries `requireTls`; it is read as the route's TLS mode the
 * database migration gave such routes (true: verified, false: opportunistic).
 */
function legacyTls(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || 'tlsMode' in input || !('requireTls' in input)) return input;
  const { requireTls, ...rest } = input as { requireTls: unknown };
  return typeof requireTls === 'boolean' ? { ...rest, tlsMode: requireTls ? 'require_verified' : 'opportunistic' } : input;
}

/** Where an inbound message goes: the customer's server from the matched inbound route. */
export const inboundTargetSchema = z.preprocess(
  legacyTls,
  z.object({
    routeId: id,
    host: z.string().min(1).max(255),
    port: z.number().int().min(1).max(65535),
    tlsMode: routeTlsModeSchema,
  }),
);

const recipient = z.object({
  /** As it goes on the wire (original local part, normalised domain). */
  address: z.string().min(3).max(254),
  /** Inbound only: the route for this recipient (recipients of one message may go to different routes). */
  target: inboundTargetSchema.nullable(),
});

const base = {
  messageId,
  tenantId: id,
  /** Outbound: the verified sending domain (DKIM key). Inbound: the customer domain of the recipients. */
  domainId: id,
  /**
   * Empty string for the null reverse-path `<>`: an inbound bounce from a remote server, or (outbound) a bounce
   * notice of our own. A notice never asks for another notice (RFC 5321 §4.5.5, RFC 3464 §6.2), see below.
   */
  mailFrom: z.string().max(254),
  recipients: z.array(recipient).min(1),
  /**
   * The whole message as received plus our Received: header, one character per byte (latin1): binary-safe for
   * 8BITMIME bodies, and a third smaller in the job than base64, with nothing to encode or decode (see messageBytes).
   */
  raw: z.string().min(1),
  size: z.number().int().positive(),
  receivedAt: z.iso.datetime({ offset: true }),
  /** Relay node that accepted the message (for tracing). */
  relayNode: z.string().min(1).max(255),
  clientIp: z.string().min(1).max(64),
};

/** A job queued by a relay of the previous release carries the message as `rawBase64`; it is read as `raw`. */
function legacyRaw(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || 'raw' in input || !('rawBase64' in input)) return input;
  const { rawBase64, ...rest } = input as { rawBase64: unknown };
  return typeof rawBase64 === 'string' ? { ...rest, raw: Buffer.from(rawBase64, 'base64').toString('latin1') } : input;
}

const jobSchema = z.discriminatedUnion('direction', [
  z
    .object({
      ...base,
      direction: z.literal('outbound'),
      credentialId: id,
      /**
       * The tenant's setting when the message was accepted: on a final bounce, send the envelope sender a
       * delivery status notification. The relay always sets it; absent (a job queued by the previous release,
       * or a benchmark's) means no notice.
       */
      bounceNotice: z.boolean().optional(),
    })
    .refine((job) => !(job.bounceNotice === true && job.mailFrom === ''), {
      message: 'a message with the null sender (a bounce notice) must not ask for a bounce notice',
      path: ['bounceNotice'],
    }),
  z.object({ ...base, direction: z.literal('inbound'), credentialId: z.null() }),
  /**
   * A bounce that came back to the SRS sender of a message we forwarded, on its way to the original sender by MX
   * with the null reverse-path. An SRS address names no tenant (it holds only the original sender), so none is
   * charged or shown: its events are the relay's own.
   */
  z.object({
    ...base,
    direction: z.literal('returned'),
    tenantId: z.null(),
    domainId: z.null(),
    credentialId: z.null(),
    mailFrom: z.literal(''),
  }),
]);

export const deliveryJobSchema = z.preprocess(legacyRaw, jobSchema);

export type InboundTarget = z.infer<typeof inboundTargetSchema>;
export type DeliveryJob = z.infer<typeof deliveryJobSchema>;

/** Validates a payload where it is produced and again where it is consumed (a queue is an untrusted boundary). */
export function parseDeliveryJob(input: unknown): DeliveryJob {
  return deliveryJobSchema.parse(input);
}

/** The message's bytes. */
export function messageBytes(job: Pick<DeliveryJob, 'raw'>): Buffer {
  return Buffer.from(job.raw, 'latin1');
}

/** The job id of a delivery job: the message id, so a retried enqueue never creates a second job. */
export function deliveryJobId(job: Pick<DeliveryJob, 'messageId'>): string {
  return job.messageId;
}

/** The direction events record: a returned bounce came in on port 25 like any inbound mail. */
export function eventDirection(direction: DeliveryJob['direction']): 'outbound' | 'inbound' {
  return direction === 'outbound' ? 'outbound' : 'inbound';
}
