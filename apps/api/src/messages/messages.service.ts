import { Inject, Injectable } from '@nestjs/common';
import type { Prisma, PrismaClient } from '@smarthost/db';
import type { TenantContext } from '../auth/principal';
import { AppError } from '../core/app-error';
import type { Page } from '../core/pagination';
import { PRISMA } from '../core/tokens';
import { encodeCursor, type MessageDetail, type MessageSummary, type SearchMessagesQuery } from './message-schemas';

const SUMMARY = {
  id: true,
  direction: true,
  status: true,
  mailFrom: true,
  subject: true,
  domainId: true,
  credentialId: true,
  sizeBytes: true,
  recipientCount: true,
  acceptedAt: true,
  updatedAt: true,
} satisfies Prisma.MessageSelect;

const RECIPIENT = { address: true, status: true, attempts: true, smtpCode: true, enhancedCode: true, response: true, updatedAt: true } satisfies Prisma.MessageRecipientSelect;
const EVENT = { type: true, recipient: true, smtpCode: true, enhancedCode: true, response: true, relayNode: true, occurredAt: true } satisfies Prisma.DeliveryEventSelect;

/** A message to a mailing list of thousands has as many events; the timeline shows the first ones. */
const TIMELINE_LIMIT = 1000;

@Injectable()
export class MessagesService {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  /** Newest first, ordered (acceptedAt desc, id asc) to follow the (tenantId, acceptedAt desc, id) index. */
  async search(tenant: TenantContext, query: SearchMessagesQuery): Promise<Page<MessageSummary>> {
    const tenantId = tenant.tenantId;
    const where: Prisma.MessageWhereInput = { tenantId, AND: filters(tenantId, query) };
    const rows = await this.prisma.message.findMany({ where, orderBy: [{ acceptedAt: 'desc' }, { id: 'asc' }], take: query.limit + 1, select: SUMMARY });
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
  }

  async get(tenant: TenantContext, id: string): Promise<MessageDetail> {
    const tenantId = tenant.tenantId;
    const message = await this.prisma.message.findFirst({
      where: { id, tenantId },
      select: { ...SUMMARY, headerFrom: true, messageIdHeader: true, recipients: { select: RECIPIENT, orderBy: { address: 'asc' } } },
    });
    if (!message) throw AppError.notFound('message');
    const events = await this.prisma.deliveryEvent.findMany({
      where: { tenantId, messageId: id },
      orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }],
      take: TIMELINE_LIMIT,
      select: EVENT,
    });
    return { ...message, events };
  }
}

function filters(tenantId: string, query: SearchMessagesQuery): Prisma.MessageWhereInput[] {
  const and: Prisma.MessageWhereInput[] = [];
  if (query.messageId) and.push({ id: query.messageId });
  if (query.sender) and.push({ mailFrom: query.sender });
  if (query.recipient) and.push({ recipients: { some: { tenantId, address: query.recipient } } });
  if (query.status) and.push({ status: query.status });
  if (query.direction) and.push({ direction: query.direction });
  if (query.from) and.push({ acceptedAt: { gte: query.from } });
  if (query.to) and.push({ acceptedAt: { lt: query.to } });
  const cursor = query.cursor;
  if (cursor) and.push({ OR: [{ acceptedAt: { lt: cursor.acceptedAt } }, { acceptedAt: cursor.acceptedAt, id: { gt: cursor.id } }] });
  return and;
}
