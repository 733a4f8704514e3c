import { isMessageId } from '@smarthost/queues';
import { parseAddress } from '@smarthost/relay-policy';
import { z } from 'zod';
import { pageSchema } from '../core/pagination';
import { INSTANT_MAX, INSTANT_MIN, instant, queryInteger } from '../core/input-schemas';

const MESSAGE_STATUSES = ['queued', 'delivered', 'deferred', 'bounced', 'partial', 'failed'] as const;
const RECIPIENT_STATUSES = ['queued', 'delivered', 'deferred', 'bounced', 'suppressed', 'failed'] as const;

export const messageIdParam = z.string().refine(isMessageId, 'must be a message id (26-character ULID)');

/** Recipients are stored as relayed: original local part at the normalised domain. Search the same form. */
const wireAddress = z
  .string()
  .max(320)
  .transform((value, ctx) => {
    const parsed = parseAddress(value.trim());
    if (parsed.ok) return parsed.address.wire;
    ctx.addIssue({ code: 'custom', message: `must be an email address (${parsed.reason})` });
    return z.NEVER;
  });

/**
 * The cursor names the last row of a page by its sort key (acceptedAt, id), so the next page is an index range
 * scan on (tenantId, acceptedAt desc, id) however deep it goes, and stays stable while new messages arrive.
 */
const CURSOR = /^(\d{1,15})-([0-9A-HJKMNP-TV-Z]{26})$/;
export const messageCursor = z
  .string()
  .regex(CURSOR, 'must be a cursor returned by a previous page')
  .transform((value) => {
    const [, ms, id] = CURSOR.exec(value) as RegExpExecArray;
    return { acceptedAt: new Date(Number(ms)), id: id as string };
  })
  // 15 digits of milliseconds reach the year 33658; a cursor we issued names an instant we accept.
  .refine((cursor) => cursor.acceptedAt >= INSTANT_MIN && cursor.acceptedAt < INSTANT_MAX, 'must be a cursor returned by a previous page');

export const encodeCursor = (row: { acceptedAt: Date; id: string }) => `${row.acceptedAt.getTime()}-${row.id}`;

export const searchMessagesQuery = z
  .strictObject({
    recipient: wireAddress.optional(),
    sender: wireAddress.optional(),
    status: z.enum(MESSAGE_STATUSES).optional(),
    direction: z.enum(['outbound', 'inbound']).optional(),
    messageId: messageIdParam.optional(),
    from: instant.optional(),
    to: instant.optional(),
    limit: queryInteger({ min: 1, max: 200, default: 50 }),
    cursor: messageCursor.optional(),
  })
  // zod runs this even when from/to failed to parse; only compare two real dates.
  .refine((q) => !(q.from instanceof Date && q.to instanceof Date) || q.from < q.to, { path: ['to'], message: 'must be after from' });

export type SearchMessagesQuery = z.infer<typeof searchMessagesQuery>;

export const messageSummary = z.object({
  id: z.string(),
  direction: z.enum(['outbound', 'inbound']),
  status: z.enum(MESSAGE_STATUSES),
  mailFrom: z.string(),
  subject: z.string().nullable(),
  domainId: z.string().nullable(),
  credentialId: z.string().nullable(),
  sizeBytes: z.number().int(),
  recipientCount: z.number().int(),
  acceptedAt: z.date(),
  updatedAt: z.date(),
});

export const messagePage = pageSchema(messageSummary);

export const recipientView = z.object({
  address: z.string(),
  status: z.enum(RECIPIENT_STATUSES),
  attempts: z.number().int(),
  smtpCode: z.number().int().nullable(),
  enhancedCode: z.string().nullable(),
  response: z.string().nullable(),
  updatedAt: z.date(),
});

export const timelineEvent = z.object({
  type: z.string(),
  recipient: z.string().nullable(),
  smtpCode: z.number().int().nullable(),
  enhancedCode: z.string().nullable(),
  response: z.string().nullable(),
  relayNode: z.string().nullable(),
  occurredAt: z.date(),
});

export const messageDetail = messageSummary.extend({
  headerFrom: z.string().nullable(),
  messageIdHeader: z.string().nullable(),
  recipients: z.array(recipientView),
  /** Oldest first; at most TIMELINE_LIMIT events, and only within the event retention window. */
  events: z.array(timelineEvent),
});

export type MessageSummary = z.infer<typeof messageSummary>;
export type MessageDetail = z.infer<typeof messageDetail>;
