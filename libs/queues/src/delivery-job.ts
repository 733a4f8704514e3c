import { z } from 'zod';
import { isMessageId } from './message-id';

const id = z.string().min(1).max(128);
const messageId = z.string().refine(isMessageId, 'must be a message id (ULID)');

/** Where an inbound message goes: the customer's server from the matched inbound route. */
export const inboundTargetSchema = z.object({
  routeId: id,
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535),
  requireTls: z.boolean(),
});

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
  /** The whole message as received plus our Received: header, base64 (binary-safe, 8BITMIME bodies). */
  rawBase64: z.string().min(1),
  size: z.number().int().positive(),
  receivedAt: z.iso.datetime({ offset: true }),
  /** Relay node that accepted the message (for tracing). */
  relayNode: z.string().min(1).max(255),
  clientIp: z.string().min(1).max(64),
};

export const deliveryJobSchema = z.discriminatedUnion('direction', [
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
]);

export type InboundTarget = z.infer<typeof inboundTargetSchema>;
export type DeliveryJob = z.infer<typeof deliveryJobSchema>;

/** Validates a payload where it is produced and again where it is consumed (a queue is an untrusted boundary). */
export function parseDeliveryJob(input: unknown): DeliveryJob {
  return deliveryJobSchema.parse(input);
}

/** The job id of a delivery job: the message id, so a retried enqueue never creates a second job. */
export function deliveryJobId(job: Pick<DeliveryJob, 'messageId'>): string {
  return job.messageId;
}
