import type { RelayEvent } from '@smarthost/queues';

/** One delivery_events row: an event fans out to one row per recipient, so the timeline and stats are per recipient. */
export interface EventRow {
  eventKey: string;
  /** Index of the recipient inside its event; 0 for an event without recipients. */
  index: number;
  tenantId: string;
  messageId: string | null;
  domain: string | null;
  credentialId: string | null;
  recipient: string | null;
  type: RelayEvent['type'];
  smtpCode: number | null;
  enhancedCode: string | null;
  attempt: number;
  remoteMta: string | null;
  response: string | null;
  relayNode: string;
  /** UTC, ISO 8601 with `Z`. */
  occurredAt: string;
  event: ResolvedEvent;
}

/** What the ingest knows about the ids an event names, looked up in the batch's transaction. */
export interface Lookups {
  tenants: ReadonlySet<string>;
  /** Domain id → name, only for domains of the event's own tenant. */
  domains: ReadonlyMap<string, { tenantId: string; name: string }>;
  credentials: ReadonlyMap<string, string>;
  nodes: ReadonlyMap<string, string>;
}

export interface ResolvedEvent {
  source: RelayEvent;
  tenantId: string;
  domainId: string | null;
  domainName: string | null;
  credentialId: string | null;
  relayNodeId: string | null;
  occurredAt: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// RFC 3463 enhanced status code inside a reply text, e.g. "550 5.1.1 user unknown".
const ENHANCED_CODE = /\b([245]\.\d{1,3}\.\d{1,3})\b/;

export const isUuid = (value: string | null): value is string => value !== null && UUID.test(value);

export interface Partitioned {
  resolved: ResolvedEvent[];
  /** Refused before a tenant was known: open-relay probes, unauthenticated submissions. */
  withoutTenant: RelayEvent[];
  /** Name a tenant that does not exist (deleted since) or is not a tenant id at all. */
  unknownTenant: RelayEvent[];
}

/** Splits a batch by what can be stored and resolves every id against the lookups (unknown ids become null). */
export function resolveEvents(events: readonly RelayEvent[], lookups: Lookups): Partitioned {
  const out: Partitioned = { resolved: [], withoutTenant: [], unknownTenant: [] };
  for (const event of events) {
    if (event.tenantId === null) out.withoutTenant.push(event);
    else if (!lookups.tenants.has(event.tenantId)) out.unknownTenant.push(event);
    else out.resolved.push(resolveOne(event, event.tenantId, lookups));
  }
  return out;
}

function resolveOne(event: RelayEvent, tenantId: string, lookups: Lookups): ResolvedEvent {
  const domain = event.domainId === null ? undefined : lookups.domains.get(event.domainId);
  const ownDomain = domain?.tenantId === tenantId ? domain : undefined;
  const credentialTenant = event.credentialId === null ? undefined : lookups.credentials.get(event.credentialId);
  return {
    source: event,
    tenantId,
    domainId: ownDomain ? event.domainId : null,
    domainName: ownDomain?.name ?? null,
    credentialId: credentialTenant === tenantId ? event.credentialId : null,
    relayNodeId: lookups.nodes.get(event.node) ?? null,
    occurredAt: new Date(event.occurredAt).toISOString(),
  };
}

/** The ids a batch names, for the lookups; non-UUIDs are left out (they cannot match a row). */
export function idsToLookUp(events: readonly RelayEvent[]) {
  const pick = (values: (string | null)[]) => [...new Set(values.filter(isUuid))];
  return {
    tenantIds: pick(events.map((e) => e.tenantId)),
    domainIds: pick(events.map((e) => e.domainId)),
    credentialIds: pick(events.map((e) => e.credentialId)),
    nodeNames: [...new Set(events.map((e) => e.node))],
  };
}

/**
 * The rows of one event. The key adds the recipient's index to the producer's deterministic event id, so the same
 * event ingested twice maps to the same keys and `ON CONFLICT (eventKey) DO NOTHING` skips it.
 */
export function eventRows(event: ResolvedEvent): EventRow[] {
  const source = event.source;
  const recipients: (string | null)[] = source.recipients.length > 0 ? source.recipients : [null];
  return recipients.map((recipient, index) => ({
    eventKey: `${source.eventId}:${index}`,
    index,
    tenantId: event.tenantId,
    messageId: source.messageId,
    domain: event.domainName,
    credentialId: event.credentialId,
    recipient,
    type: source.type,
    smtpCode: source.smtpCode,
    enhancedCode: source.enhancedCode ?? source.detail?.match(ENHANCED_CODE)?.[1] ?? null,
    attempt: source.attempt ?? 0,
    remoteMta: source.remoteMta,
    // The table has no column for the refusal/bounce code: it leads the stored reply so the timeline still shows it.
    response: joinResponse(source.code, source.detail),
    relayNode: source.node,
    occurredAt: event.occurredAt,
    event,
  }));
}

function joinResponse(code: string | null, detail: string | null): string | null {
  if (code === null) return detail;
  return detail === null ? code : `${code}: ${detail}`;
}
