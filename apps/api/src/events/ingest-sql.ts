import { Prisma } from '@smarthost/db';
import type { EventRow, Lookups } from './event-rows';
import type { IngestPlan, MessageFacts } from './ingest-plan';

type Tx = Prisma.TransactionClient;

/**
 * Multi-row writes as one statement each: columns travel as arrays and `unnest` turns them back into rows, so a
 * batch of hundreds of events costs a handful of round trips. Times travel as ISO text with `Z`; Postgres ignores
 * the zone when casting to `timestamp` (without time zone), which stores exactly the UTC wall time Prisma uses.
 */
export async function lookUp(tx: Tx, ids: { tenantIds: string[]; domainIds: string[]; credentialIds: string[]; nodeNames: string[] }): Promise<Lookups> {
  const [tenants, domains, credentials, nodes] = await Promise.all([
    tx.tenant.findMany({ where: { id: { in: ids.tenantIds } }, select: { id: true } }),
    tx.domain.findMany({ where: { id: { in: ids.domainIds } }, select: { id: true, tenantId: true, name: true } }),
    tx.smtpCredential.findMany({ where: { id: { in: ids.credentialIds } }, select: { id: true, tenantId: true } }),
    tx.relayNode.findMany({ where: { name: { in: ids.nodeNames } }, select: { id: true, name: true } }),
  ]);
  return {
    tenants: new Set(tenants.map((t) => t.id)),
    domains: new Map(domains.map((d) => [d.id, { tenantId: d.tenantId, name: d.name }])),
    credentials: new Map(credentials.map((c) => [c.id, c.tenantId])),
    nodes: new Map(nodes.map((n) => [n.name, n.id])),
  };
}

/** Inserts the rows not seen before and returns their keys: the only rows that may change counters. */
export async function insertEvents(tx: Tx, rows: readonly EventRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const col = <K extends keyof EventRow>(key: K) => rows.map((row) => row[key]);
  const inserted = await tx.$queryRaw<{ eventKey: string }[]>`
    INSERT INTO delivery_events ("eventKey", "tenantId", "messageId", domain, "credentialId", recipient, type, "smtpCode", "enhancedCode", response, "relayNode", "occurredAt", attempt, "remoteMta")
    SELECT k, t, m, d, c, r, y::"EventType", s, e, p, n, o::timestamp(3), a, x
    FROM unnest(${col('eventKey')}::text[], ${col('tenantId')}::uuid[], ${col('messageId')}::text[], ${col('domain')}::text[],
                ${col('credentialId')}::uuid[], ${col('recipient')}::text[], ${col('type')}::text[], ${col('smtpCode')}::int[],
                ${col('enhancedCode')}::text[], ${col('response')}::text[], ${col('relayNode')}::text[], ${col('occurredAt')}::text[],
                ${col('attempt')}::int[], ${col('remoteMta')}::text[])
         AS v(k, t, m, d, c, r, y, s, e, p, n, o, a, x)
    ON CONFLICT ("eventKey") DO NOTHING
    RETURNING "eventKey"`;
  return new Set(inserted.map((row) => row.eventKey));
}

export async function applyStats(tx: Tx, stats: IngestPlan['stats']): Promise<void> {
  if (stats.length === 0) return;
  const count = (type: keyof IngestPlan['stats'][number]['counts']) => stats.map((s) => s.counts[type]);
  await tx.$executeRaw`
    INSERT INTO stats_hourly ("tenantId", hour, domain, accepted, rejected, delivered, deferred, bounced, complained)
    SELECT * FROM unnest(${stats.map((s) => s.tenantId)}::uuid[], ${stats.map((s) => s.hour)}::timestamp(3)[], ${stats.map((s) => s.domain)}::text[],
                         ${count('accepted')}::int[], ${count('rejected')}::int[], ${count('delivered')}::int[], ${count('deferred')}::int[], ${count('bounced')}::int[],
                         ${count('complained')}::int[])
    ON CONFLICT ("tenantId", hour, domain) DO UPDATE SET
      accepted = stats_hourly.accepted + EXCLUDED.accepted,
      rejected = stats_hourly.rejected + EXCLUDED.rejected,
      delivered = stats_hourly.delivered + EXCLUDED.delivered,
      deferred = stats_hourly.deferred + EXCLUDED.deferred,
      bounced = stats_hourly.bounced + EXCLUDED.bounced,
      complained = stats_hourly.complained + EXCLUDED.complained`;
}

export async function applyUsage(tx: Tx, usage: IngestPlan['usage']): Promise<void> {
  if (usage.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO usage_counters ("tenantId", period, "periodStart", messages, recipients, "updatedAt")
    SELECT t, p::"UsagePeriod", d::date, m, r, now()
    FROM unnest(${usage.map((u) => u.tenantId)}::uuid[], ${usage.map((u) => u.period)}::text[], ${usage.map((u) => u.periodStart)}::text[],
                ${usage.map((u) => u.messages)}::int[], ${usage.map((u) => u.recipients)}::int[]) AS v(t, p, d, m, r)
    ON CONFLICT ("tenantId", period, "periodStart") DO UPDATE SET
      messages = usage_counters.messages + EXCLUDED.messages,
      recipients = usage_counters.recipients + EXCLUDED.recipients,
      "updatedAt" = now()`;
}

/** The column arrays of both message statements, in their column order. */
/** The INSERT … SELECT of message rows that both the accepted-event upsert and the placeholder insert start with. */
function insertMessageRows(messages: readonly MessageFacts[]): Prisma.Sql {
  const col = <K extends keyof MessageFacts>(key: K) => messages.map((m) => m[key]);
  return Prisma.sql`
    INSERT INTO messages (id, "tenantId", "domainId", "credentialId", "relayNodeId", direction, "mailFrom", "sizeBytes", "recipientCount", "acceptedAt",
                          subject, "headerFrom", "messageIdHeader", "updatedAt")
    SELECT i, t, d, c, n, r::"MessageDirection", f, s, k, a::timestamp(3), j, h, m, now()
    FROM unnest(${col('id')}::text[], ${col('tenantId')}::uuid[], ${col('domainId')}::uuid[], ${col('credentialId')}::uuid[],
                ${col('relayNodeId')}::uuid[], ${col('direction')}::text[], ${col('mailFrom')}::text[], ${col('sizeBytes')}::int[],
                ${col('recipientCount')}::int[], ${col('acceptedAt')}::text[], ${col('subject')}::text[], ${col('headerFrom')}::text[],
                ${col('messageIdHeader')}::text[]) AS v(i, t, d, c, n, r, f, s, k, a, j, h, m)`;
}

/**
 * The accepted event carries the envelope: it creates the message, or completes the placeholder a faster
 * delivery event made. The tenant check keeps an event from ever writing into another tenant's message.
 */
export async function upsertAcceptedMessages(tx: Tx, messages: readonly MessageFacts[]): Promise<void> {
  if (messages.length === 0) return;
  await tx.$executeRaw`${insertMessageRows(messages)}
    ON CONFLICT (id) DO UPDATE SET
      "domainId" = EXCLUDED."domainId", "credentialId" = EXCLUDED."credentialId", "relayNodeId" = EXCLUDED."relayNodeId",
      direction = EXCLUDED.direction, "mailFrom" = EXCLUDED."mailFrom", "sizeBytes" = EXCLUDED."sizeBytes",
      "recipientCount" = EXCLUDED."recipientCount", "acceptedAt" = EXCLUDED."acceptedAt", subject = EXCLUDED.subject,
      "headerFrom" = EXCLUDED."headerFrom", "messageIdHeader" = EXCLUDED."messageIdHeader", "updatedAt" = now()
    WHERE messages."tenantId" = EXCLUDED."tenantId"`;
}

/** A message row for an outcome that arrived before its accepted event; the accepted event completes it. */
export async function insertPlaceholderMessages(tx: Tx, messages: readonly MessageFacts[]): Promise<void> {
  if (messages.length === 0) return;
  await tx.$executeRaw`${insertMessageRows(messages)}
    ON CONFLICT (id) DO NOTHING`;
}

/** Recipients as the relay accepted them; an outcome that arrived first is kept. Only into the tenant's own message. */
export async function insertQueuedRecipients(tx: Tx, recipients: IngestPlan['queuedRecipients']): Promise<void> {
  if (recipients.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO message_recipients ("messageId", address, "tenantId", "updatedAt")
    SELECT v.m, v.a, v.t, now()
    FROM unnest(${recipients.map((r) => r.messageId)}::text[], ${recipients.map((r) => r.address)}::text[], ${recipients.map((r) => r.tenantId)}::uuid[]) AS v(m, a, t)
    JOIN messages ON messages.id = v.m AND messages."tenantId" = v.t
    ON CONFLICT ("messageId", address) DO NOTHING`;
}

// Mirrors RANK in ingest-plan.ts: a final outcome is never replaced by a deferral.
const KEEP_NEW = Prisma.sql`(CASE EXCLUDED.status WHEN 'queued' THEN 0 WHEN 'deferred' THEN 1 ELSE 2 END) >=
  (CASE message_recipients.status WHEN 'queued' THEN 0 WHEN 'deferred' THEN 1 ELSE 2 END)`;

export async function applyRecipientOutcomes(tx: Tx, outcomes: IngestPlan['recipientOutcomes']): Promise<void> {
  if (outcomes.length === 0) return;
  const col = <K extends keyof (typeof outcomes)[number]>(key: K) => outcomes.map((o) => o[key]);
  await tx.$executeRaw`
    INSERT INTO message_recipients ("messageId", address, "tenantId", status, attempts, "smtpCode", "enhancedCode", response, "updatedAt")
    SELECT v.m, v.a, v.t, v.s::"RecipientStatus", v.n, v.c, v.e, v.r, now()
    FROM unnest(${col('messageId')}::text[], ${col('address')}::text[], ${col('tenantId')}::uuid[], ${col('status')}::text[],
                ${col('attempts')}::int[], ${col('smtpCode')}::int[], ${col('enhancedCode')}::text[], ${col('response')}::text[]) AS v(m, a, t, s, n, c, e, r)
    JOIN messages ON messages.id = v.m AND messages."tenantId" = v.t
    ON CONFLICT ("messageId", address) DO UPDATE SET
      attempts = message_recipients.attempts + EXCLUDED.attempts,
      status = CASE WHEN ${KEEP_NEW} THEN EXCLUDED.status ELSE message_recipients.status END,
      "smtpCode" = CASE WHEN ${KEEP_NEW} THEN EXCLUDED."smtpCode" ELSE message_recipients."smtpCode" END,
      "enhancedCode" = CASE WHEN ${KEEP_NEW} THEN EXCLUDED."enhancedCode" ELSE message_recipients."enhancedCode" END,
      response = CASE WHEN ${KEEP_NEW} THEN EXCLUDED.response ELSE message_recipients.response END,
      "updatedAt" = now()
    WHERE message_recipients."tenantId" = EXCLUDED."tenantId"`;
}

/**
 * A message's status follows from its recipients: all delivered → delivered, all bounced → bounced, some of each
 * → partial, else any deferred → deferred, else queued. A dead-lettered (failed) message stays failed.
 */
export async function refreshMessageStatus(tx: Tx, messageIds: readonly string[]): Promise<void> {
  if (messageIds.length === 0) return;
  await tx.$executeRaw`
    UPDATE messages m SET status = s.status::"MessageStatus", "updatedAt" = now()
    FROM (
      SELECT "messageId",
        CASE
          WHEN bool_and(status = 'delivered') THEN 'delivered'
          WHEN bool_and(status = 'bounced') THEN 'bounced'
          WHEN bool_or(status = 'bounced') AND bool_or(status = 'delivered') THEN 'partial'
          WHEN bool_or(status = 'deferred') THEN 'deferred'
          ELSE 'queued'
        END AS status
      FROM message_recipients WHERE "messageId" = ANY(${messageIds as string[]}::text[])
      GROUP BY "messageId"
    ) s
    WHERE m.id = s."messageId" AND m.status <> 'failed' AND m.status::text <> s.status`;
}
