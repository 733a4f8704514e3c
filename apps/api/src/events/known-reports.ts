import type { Prisma } from '@smarthost/db';
import type { RelayEvent } from '@smarthost/queues';

export interface ReportCheck {
  kept: RelayEvent[];
  /** Report events about no recipient of that tenant's message: forged, or for mail this installation never sent. */
  dropped: RelayEvent[];
}

/**
 * Reports (phase `report`: bounces, complaints verified or not) come from port 25, which anyone can reach. The relay
 * only takes them at a return path it signed, but one is kept only when its recipient was a recipient of that
 * message of that tenant too, so even a report through a valid return path cannot suppress an address or mark mail
 * bounced that the message was never sent to. A kept report names the recipient as it was stored, whatever case the
 * reporting server used, so its outcome lands on the right row.
 */
export async function keepKnownReports(tx: Prisma.TransactionClient, events: readonly RelayEvent[]): Promise<ReportCheck> {
  const reports = events.filter((event) => event.phase === 'report' && event.messageId !== null && event.tenantId !== null);
  if (reports.length === 0) return { kept: [...events], dropped: [] };
  const recipients = await tx.messageRecipient.findMany({
    where: { messageId: { in: [...new Set(reports.map((event) => event.messageId as string))] } },
    select: { messageId: true, tenantId: true, address: true },
  });
  const stored = new Map(recipients.map((r) => [`${r.tenantId}|${r.messageId}|${r.address.toLowerCase()}`, r.address]));
  // The message may be accepted in this very batch (an ingest that fell behind): its recipients count too.
  for (const event of events) {
    if (event.type !== 'accepted' || event.tenantId === null || event.messageId === null) continue;
    for (const address of event.recipients) stored.set(`${event.tenantId}|${event.messageId}|${address.toLowerCase()}`, address);
  }
  const kept: RelayEvent[] = [];
  const dropped: RelayEvent[] = [];
  for (const event of events) {
    if (event.phase !== 'report') {
      kept.push(event);
      continue;
    }
    const address = stored.get(`${event.tenantId}|${event.messageId}|${(event.recipients[0] ?? '').toLowerCase()}`);
    if (address === undefined || event.recipients.length !== 1) dropped.push(event);
    else kept.push({ ...event, recipients: [address] });
  }
  return { kept, dropped };
}
