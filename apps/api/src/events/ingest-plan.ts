import { parseAddress } from '@smarthost/relay-policy';
import type { EventRow, ResolvedEvent } from './event-rows';

/**
 * What a batch changes besides the raw events, computed only from rows that were newly inserted: a re-ingested
 * event inserts nothing and so changes nothing. Every list is sorted by its key so that concurrent ingest
 * transactions lock rows in the same order and cannot deadlock each other.
 */
export interface IngestPlan {
  stats: StatsDelta[];
  usage: UsageDelta[];
  acceptedMessages: MessageFacts[];
  /** Messages first seen through a later event (the accepted event is late): a row to attach recipients to. */
  placeholderMessages: MessageFacts[];
  queuedRecipients: RecipientKey[];
  recipientOutcomes: RecipientOutcome[];
  suppressions: { tenantId: string; address: string; reason: 'hard_bounce' | 'complaint'; detail: string | null }[];
  touchedMessageIds: string[];
}

export const STAT_TYPES = ['accepted', 'rejected', 'delivered', 'deferred', 'bounced', 'complained'] as const;

export interface StatsDelta {
  tenantId: string;
  /** Start of the UTC hour, ISO. */
  hour: string;
  domain: string;
  counts: Record<(typeof STAT_TYPES)[number], number>;
}

export interface UsageDelta {
  tenantId: string;
  period: 'day' | 'month';
  /** YYYY-MM-DD (UTC). */
  periodStart: string;
  messages: number;
  recipients: number;
}

export interface MessageFacts {
  id: string;
  tenantId: string;
  domainId: string | null;
  credentialId: string | null;
  relayNodeId: string | null;
  direction: 'outbound' | 'inbound';
  mailFrom: string;
  sizeBytes: number;
  recipientCount: number;
  acceptedAt: string;
  /** From the accepted event's headers; null from any other event. */
  subject: string | null;
  headerFrom: string | null;
  messageIdHeader: string | null;
}

export interface RecipientKey {
  messageId: string;
  address: string;
  tenantId: string;
}

export type OutcomeStatus = 'delivered' | 'deferred' | 'bounced';

export interface RecipientOutcome extends RecipientKey {
  status: OutcomeStatus;
  /** Delivery attempts this batch adds (each delivered/deferred/bounced event is one attempt). */
  attempts: number;
  smtpCode: number | null;
  enhancedCode: string | null;
  response: string | null;
}

/** A final outcome outranks a deferral, so a late "deferred" never undoes "delivered" (events can arrive out of order). */
const RANK: Record<OutcomeStatus, number> = { deferred: 1, delivered: 2, bounced: 2 };

const isStatType = (type: EventRow['type']): type is (typeof STAT_TYPES)[number] => (STAT_TYPES as readonly string[]).includes(type);
const isOutcome = (type: EventRow['type']): type is OutcomeStatus => type === 'delivered' || type === 'deferred' || type === 'bounced';
const byKey = <T>(key: (item: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

export function planIngest(newRows: readonly EventRow[]): IngestPlan {
  const messageRows = newRows.filter((row): row is EventRow & { messageId: string } => row.messageId !== null);
  const accepted = uniqueBy(messageRows.filter((row) => row.type === 'accepted' && row.index === 0), (row) => row.messageId).map(messageFacts);
  const acceptedIds = new Set(accepted.map((m) => m.id));
  const placeholders = uniqueBy(messageRows.filter((row) => !acceptedIds.has(row.messageId)), (row) => row.messageId).map(messageFacts);
  return {
    stats: statsDeltas(newRows),
    usage: usageDeltas(newRows),
    acceptedMessages: accepted.sort(byKey((m) => m.id)),
    placeholderMessages: placeholders.sort(byKey((m) => m.id)),
    queuedRecipients: queuedRecipients(messageRows),
    recipientOutcomes: recipientOutcomes(messageRows),
    suppressions: suppressions(newRows),
    touchedMessageIds: [...new Set(messageRows.map((row) => row.messageId))].sort(),
  };
}

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}

function messageFacts(row: EventRow & { messageId: string }): MessageFacts {
  const event: ResolvedEvent = row.event;
  const source = event.source;
  const isAccepted = source.type === 'accepted';
  return {
    id: row.messageId,
    tenantId: event.tenantId,
    domainId: event.domainId,
    credentialId: event.credentialId,
    relayNodeId: isAccepted ? event.relayNodeId : null,
    direction: source.direction,
    mailFrom: source.mailFrom ?? '',
    sizeBytes: source.size ?? 0,
    // A later event names only its own recipients: the count comes with the accepted event.
    recipientCount: isAccepted ? source.recipients.length : 0,
    acceptedAt: event.occurredAt,
    subject: isAccepted ? source.subject : null,
    headerFrom: isAccepted ? source.headerFrom : null,
    messageIdHeader: isAccepted ? source.messageIdHeader : null,
  };
}

function statsDeltas(rows: readonly EventRow[]): StatsDelta[] {
  const deltas = new Map<string, StatsDelta>();
  for (const row of rows) {
    // An unverified complaint counts nowhere: not in the statistics, not for the reputation guard (ADR 0006).
    if (!isStatType(row.type)) continue;
    const hour = `${row.occurredAt.slice(0, 13)}:00:00.000Z`;
    const domain = row.domain ?? '';
    const key = `${row.tenantId}|${hour}|${domain}`;
    let delta = deltas.get(key);
    if (!delta) {
      delta = { tenantId: row.tenantId, hour, domain, counts: { accepted: 0, rejected: 0, delivered: 0, deferred: 0, bounced: 0, complained: 0 } };
      deltas.set(key, delta);
    }
    delta.counts[row.type] += 1;
  }
  return [...deltas.entries()].sort(byKey(([key]) => key)).map(([, delta]) => delta);
}

/** Usage counts accepted messages and their recipients, per UTC day and month. */
function usageDeltas(rows: readonly EventRow[]): UsageDelta[] {
  const deltas = new Map<string, UsageDelta>();
  for (const row of rows) {
    if (row.type !== 'accepted' || row.index !== 0) continue;
    const day = row.occurredAt.slice(0, 10);
    for (const [period, periodStart] of [['day', day], ['month', `${day.slice(0, 8)}01`]] as const) {
      const key = `${row.tenantId}|${period}|${periodStart}`;
      const delta = deltas.get(key) ?? { tenantId: row.tenantId, period, periodStart, messages: 0, recipients: 0 };
      delta.messages += 1;
      delta.recipients += row.event.source.recipients.length;
      deltas.set(key, delta);
    }
  }
  return [...deltas.entries()].sort(byKey(([key]) => key)).map(([, delta]) => delta);
}

function queuedRecipients(rows: readonly (EventRow & { messageId: string })[]): RecipientKey[] {
  const keys = rows
    .filter((row) => row.type === 'accepted' && row.recipient !== null)
    .map((row) => ({ messageId: row.messageId, address: row.recipient as string, tenantId: row.tenantId }));
  return uniqueBy(keys, recipientKey).sort(byKey(recipientKey));
}

const recipientKey = (r: RecipientKey) => `${r.messageId}|${r.address}`;

/** One outcome per recipient (a statement may not update a row twice): the highest rank wins, then the latest. */
function recipientOutcomes(rows: readonly (EventRow & { messageId: string })[]): RecipientOutcome[] {
  const outcomes = new Map<string, { outcome: RecipientOutcome; at: string }>();
  for (const row of rows) {
    if (!isOutcome(row.type) || row.recipient === null) continue;
    const candidate: RecipientOutcome = {
      messageId: row.messageId,
      address: row.recipient,
      tenantId: row.tenantId,
      status: row.type,
      attempts: 1,
      smtpCode: row.smtpCode,
      enhancedCode: row.enhancedCode,
      response: row.response,
    };
    const key = recipientKey(candidate);
    const current = outcomes.get(key);
    if (!current) outcomes.set(key, { outcome: candidate, at: row.occurredAt });
    else {
      const attempts = current.outcome.attempts + 1;
      const wins = RANK[candidate.status] > RANK[current.outcome.status] || (RANK[candidate.status] === RANK[current.outcome.status] && row.occurredAt >= current.at);
      outcomes.set(key, wins ? { outcome: { ...candidate, attempts }, at: row.occurredAt } : { ...current, outcome: { ...current.outcome, attempts } });
    }
  }
  return [...outcomes.values()].map((o) => o.outcome).sort(byKey(recipientKey));
}

/**
 * A hard bounce or a complaint suppresses the address for its tenant, in the relay's normal form so its lookup
 * matches: a recipient who said "spam" must not get the next message (mailbox providers count every one).
 */
function suppressions(rows: readonly EventRow[]): IngestPlan['suppressions'] {
  const found = new Map<string, IngestPlan['suppressions'][number]>();
  for (const row of rows) {
    const reason = row.type === 'complained' ? 'complaint' : row.type === 'bounced' && row.event.source.code === 'hard_bounce' ? 'hard_bounce' : null;
    if (reason === null || row.recipient === null) continue;
    const parsed = parseAddress(row.recipient);
    if (!parsed.ok) continue;
    const address = parsed.address.normalized;
    found.set(`${row.tenantId}|${address}`, { tenantId: row.tenantId, address, reason, detail: row.response?.slice(0, 500) ?? null });
  }
  return [...found.entries()].sort(byKey(([key]) => key)).map(([, s]) => s);
}
