import { z } from 'zod';
import {
  credentialPolicySchema,
  domainPolicySchema,
  inboundRoutePolicySchema,
  PolicyContractError,
  policySnapshotSchema,
  suppressionPolicySchema,
  tenantPolicySchema,
  type CredentialPolicy,
  type DomainPolicy,
  type PolicyEntities,
  type PolicyEntityKind,
  type InboundLimits,
  type TenantLimits,
  type TenantPolicy,
} from './contract';
import { JsonSectionSplitter, JsonSyntaxError } from './json-sections';
import { PolicyIndex, type PolicyIndexBuilder } from './policy-index';

const SECTIONS = {
  tenants: 'tenant',
  domains: 'domain',
  credentials: 'credential',
  inboundRoutes: 'inboundRoute',
  suppressions: 'suppression',
} as const satisfies Record<string, PolicyEntityKind>;
type Section = keyof typeof SECTIONS;

const ENTITY_SCHEMAS: { [K in PolicyEntityKind]: z.ZodType<PolicyEntities[K]> } = {
  tenant: tenantPolicySchema,
  domain: domainPolicySchema,
  credential: credentialPolicySchema,
  inboundRoute: inboundRoutePolicySchema,
  suppression: suppressionPolicySchema,
};

const NO_ENTRIES: string[] = Object.freeze([]) as unknown as string[];

/**
 * The validated entity as the index keeps it, built to be small: 300,000 credentials are most of a node's memory.
 * Zod's output objects get their properties one at a time (a small object plus a separate property store); an object
 * literal with every field is one compact allocation. Strings and values that repeat are shared: a tenant's id (held
 * by its domains and credentials, which may come before the tenant in the document), a tenant's limits (most tenants
 * have their plan's), an empty allowlist. Listing every field of the contract type keeps this exhaustive: a new
 * contract field fails to compile here until it is added.
 */
class Compactor {
  private readonly strings = new Map<string, string>();
  private readonly limits = new Map<string, TenantLimits>();
  private readonly inboundLimits = new Map<string, InboundLimits>();

  private shared(value: string): string {
    const known = this.strings.get(value);
    if (known !== undefined) return known;
    this.strings.set(value, value);
    return value;
  }

  compact<K extends PolicyEntityKind>(kind: K, value: PolicyEntities[K]): PolicyEntities[K] {
    switch (kind) {
      case 'credential': {
        const c = value as CredentialPolicy;
        return {
          id: c.id,
          tenantId: this.shared(c.tenantId),
          username: c.username,
          secretDigest: c.secretDigest,
          status: c.status,
          allowedDomainIds: c.allowedDomainIds,
          allowedSenders: c.allowedSenders,
          ipAllowlist: c.ipAllowlist.length === 0 ? NO_ENTRIES : c.ipAllowlist,
          ratePerMinute: c.ratePerMinute,
        } satisfies CredentialPolicy as PolicyEntities[K];
      }
      case 'tenant': {
        const t = value as TenantPolicy;
        return {
          id: this.shared(t.id),
          status: t.status,
          statusReason: t.statusReason,
          limits: this.sharedLimits(t.limits),
          inboundLimits: this.sharedInboundLimits(t.inboundLimits),
          bounceNotices: t.bounceNotices,
        } satisfies TenantPolicy as PolicyEntities[K];
      }
      case 'domain': {
        const d = value as DomainPolicy;
        return {
          id: d.id,
          tenantId: this.shared(d.tenantId),
          name: d.name,
          verified: d.verified,
          inboundEnabled: d.inboundEnabled,
          inboundDmarc: d.inboundDmarc,
        } satisfies DomainPolicy as PolicyEntities[K];
      }
      default:
        return value;
    }
  }

  private sharedLimits(l: TenantLimits): TenantLimits {
    const key = `${l.messagesPerDay},${l.messagesPerMonth},${l.messagesPerMinute},${l.recipientsPerMessage},${l.maxMessageBytes}`;
    let limits = this.limits.get(key);
    if (limits === undefined) {
      limits = Object.freeze({
        messagesPerDay: l.messagesPerDay,
        messagesPerMonth: l.messagesPerMonth,
        messagesPerMinute: l.messagesPerMinute,
        recipientsPerMessage: l.recipientsPerMessage,
        maxMessageBytes: l.maxMessageBytes,
      } satisfies TenantLimits);
      this.limits.set(key, limits);
    }
    return limits;
  }

  private sharedInboundLimits(l: InboundLimits): InboundLimits {
    const key = `${l.messagesPerDay},${l.bytesPerDay},${l.backlogBytes}`;
    let limits = this.inboundLimits.get(key);
    if (limits === undefined) {
      limits = Object.freeze({ messagesPerDay: l.messagesPerDay, bytesPerDay: l.bytesPerDay, backlogBytes: l.backlogBytes } satisfies InboundLimits);
      this.inboundLimits.set(key, limits);
    }
    return limits;
  }
}

const headerSchema = policySnapshotSchema.pick({ schemaVersion: true, version: true, generatedAt: true });
type Header = z.infer<typeof headerSchema>;
const HEADER_FIELDS = headerSchema.shape;

const isSection = (key: string): key is Section => Object.hasOwn(SECTIONS, key);
const isHeaderField = (key: string): key is keyof Header => Object.hasOwn(HEADER_FIELDS, key);

/**
 * Reads a `PolicySnapshot` JSON document as it streams in and builds the PolicyIndex from it one entity at a time:
 * each entity is parsed from its own text, validated with its contract schema and added to the index, so what is
 * held at any moment is the index being built plus one network chunk — never the whole text, the parsed document
 * and a validated copy. Accepts exactly what `parsePolicySnapshot` + `PolicyIndex.fromSnapshot` accept (unknown
 * members are ignored, as zod strips them) and throws the same errors: PolicyContractError naming the field
 * (`credentials.12.username: …`), PolicyIndexError for repeated ids or usernames. A schemaVersion other than ours is
 * refused as soon as it is read.
 */
export class PolicySnapshotReader {
  private readonly splitter: JsonSectionSplitter;
  private readonly builder: PolicyIndexBuilder = PolicyIndex.builder();
  private readonly header: Partial<Record<keyof Header, unknown>> = {};
  private readonly seen = new Set<Section>();
  /** Dropped with the reader once the index is built. */
  private readonly compactor = new Compactor();

  /** `otherMember` receives each top-level member that is not part of the snapshot and not an array. */
  constructor(private readonly options: { otherMember?: (key: string, json: string) => void } = {}) {
    this.splitter = new JsonSectionSplitter({
      member: (key, json) => this.member(key, json),
      arrayStart: (key) => {
        if (isSection(key)) this.seen.add(key);
        else if (isHeaderField(key)) this.header[key] = [];
      },
      element: (key, index, json) => this.element(key, index, json),
    });
  }

  /** Feeds the next bytes of the document (a chunk may end anywhere). */
  push(chunk: Uint8Array): void {
    this.guard(() => this.splitter.push(chunk));
  }

  /** After the last chunk: the index, once the document is complete and valid. */
  finish(): PolicyIndex {
    this.guard(() => this.splitter.end());
    const header = headerSchema.safeParse(this.header);
    const issues = header.success ? [] : header.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    for (const section of Object.keys(SECTIONS) as Section[]) {
      if (!this.seen.has(section)) issues.push(`${section}: Invalid input: expected array, received undefined`);
    }
    if (!header.success || issues.length > 0) throw new PolicyContractError(issues);
    return this.builder.finish(header.data.version, header.data.generatedAt);
  }

  private member(key: string, json: string): void {
    if (isSection(key)) throw new PolicyContractError([`${key}: Invalid input: expected array`]);
    if (!isHeaderField(key)) {
      this.options.otherMember?.(key, json);
      return;
    }
    const value = parseJson(json, key);
    this.header[key] = value;
    const field = HEADER_FIELDS[key].safeParse(value);
    if (!field.success) throw new PolicyContractError(field.error.issues.map((i) => `${[key, ...i.path].join('.')}: ${i.message}`));
  }

  private element(key: string, index: number, json: string): void {
    if (!isSection(key)) return;
    const kind = SECTIONS[key];
    const result = ENTITY_SCHEMAS[kind].safeParse(parseJson(json, `${key}.${index}`));
    if (!result.success) {
      throw new PolicyContractError(result.error.issues.map((i) => `${[key, index, ...i.path].join('.')}: ${i.message}`));
    }
    this.builder.add(kind, this.compactor.compact(kind, result.data));
  }

  private guard(step: () => void): void {
    try {
      step();
    } catch (error) {
      if (error instanceof JsonSyntaxError) throw new PolicyContractError([`(root): not JSON: ${error.message}`]);
      throw error;
    }
  }
}

function parseJson(json: string, path: string): unknown {
  try {
    return JSON.parse(json);
  } catch (error) {
    throw new PolicyContractError([`${path}: not JSON: ${(error as Error).message}`]);
  }
}

/** Reads a snapshot from a byte stream (an HTTP response body, a file) into a PolicyIndex; see PolicySnapshotReader. */
export async function readPolicySnapshot(chunks: AsyncIterable<Uint8Array>): Promise<PolicyIndex> {
  const reader = new PolicySnapshotReader();
  for await (const chunk of chunks) reader.push(chunk);
  return reader.finish();
}
