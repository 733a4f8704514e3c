import {
  POLICY_SCHEMA_VERSION,
  type CredentialPolicy,
  type DomainPolicy,
  type InboundRoutePolicy,
  type PolicyChange,
  type PolicyDelta,
  type PolicyEntities,
  type PolicyEntityKind,
  type PolicySnapshot,
  type TenantPolicy,
} from './contract';
import type { IpRange } from './ip-allowlist';
import {
  CredentialTable,
  DomainTable,
  EntityTable,
  InboundRouteTable,
  PolicyIndexError,
  SuppressionTable,
  TenantTable,
} from './policy-tables';

export interface PolicyIndexBuilder {
  add<K extends PolicyEntityKind>(kind: K, value: PolicyEntities[K]): void;
  finish(version: number, generatedAt: string): PolicyIndex;
}

interface Undo {
  kind: PolicyEntityKind;
  id: string;
  previous: PolicyEntities[PolicyEntityKind] | undefined;
}

/**
 * The relay's in-memory view of the policy, with O(1) lookups for every SMTP decision. Build it from a snapshot
 * streamed in (`readPolicySnapshot`) or a validated one (`parsePolicySnapshot`), then keep it current with deltas.
 * Returned entities are the index's own objects (some shared between entities, some frozen): treat them as read-only.
 */
export class PolicyIndex {
  #version: number;
  #generatedAt: string;
  private readonly tenants = new TenantTable();
  private readonly domains = new DomainTable();
  private readonly credentials = new CredentialTable();
  private readonly routes = new InboundRouteTable();
  private readonly suppressions = new SuppressionTable();
  private readonly tables: { [K in PolicyEntityKind]: EntityTable<PolicyEntities[K]> } = {
    tenant: this.tenants,
    domain: this.domains,
    credential: this.credentials,
    inboundRoute: this.routes,
    suppression: this.suppressions,
  };

  private constructor(version: number, generatedAt: string) {
    this.#version = version;
    this.#generatedAt = generatedAt;
  }

  /** Throws PolicyIndexError when ids or usernames repeat, or an allowlist entry cannot be read. */
  static fromSnapshot(snapshot: PolicySnapshot): PolicyIndex {
    const builder = PolicyIndex.builder();
    for (const tenant of snapshot.tenants) builder.add('tenant', tenant);
    for (const domain of snapshot.domains) builder.add('domain', domain);
    for (const credential of snapshot.credentials) builder.add('credential', credential);
    for (const route of snapshot.inboundRoutes) builder.add('inboundRoute', route);
    for (const suppression of snapshot.suppressions) builder.add('suppression', suppression);
    return builder.finish(snapshot.version, snapshot.generatedAt);
  }

  /**
   * Builds an index one validated entity at a time (a snapshot read as it streams in); the version is known at the
   * end. `add` throws PolicyIndexError like fromSnapshot; the index exists only once `finish` returns it.
   */
  static builder(): PolicyIndexBuilder {
    const index = new PolicyIndex(0, '');
    let finished = false;
    return {
      add(kind, value) {
        if (finished) throw new Error('PolicyIndex builder already finished');
        index.add(kind, value);
      },
      finish(version, generatedAt) {
        if (finished) throw new Error('PolicyIndex builder already finished');
        finished = true;
        index.#version = version;
        index.#generatedAt = generatedAt;
        return index;
      },
    };
  }

  get version(): number {
    return this.#version;
  }

  get generatedAt(): string {
    return this.#generatedAt;
  }

  tenant(id: string): TenantPolicy | undefined {
    return this.tenants.get(id);
  }

  domain(id: string): DomainPolicy | undefined {
    return this.domains.get(id);
  }

  /** Every tenant's entry for a normalised domain name, verified or not. */
  domainsNamed(name: string): readonly DomainPolicy[] {
    return this.domains.named(name);
  }

  /** The tenant's verified domain of that name, if any. */
  verifiedDomain(tenantId: string, name: string): DomainPolicy | undefined {
    return this.domains.named(name).find((d) => d.verified && d.tenantId === tenantId);
  }

  credential(id: string): CredentialPolicy | undefined {
    return this.credentials.get(id);
  }

  credentialByUsername(username: string): CredentialPolicy | undefined {
    return this.credentials.byName(username);
  }

  /** The credential's compiled IP allowlist; empty means any address. */
  credentialAllowlist(credentialId: string): readonly IpRange[] {
    return this.credentials.allowlist(credentialId);
  }

  inboundRoute(domainId: string, localPart: string): InboundRoutePolicy | undefined {
    return this.routes.match(domainId, localPart.toLowerCase());
  }

  isSuppressed(tenantId: string, normalizedAddress: string): boolean {
    return this.suppressions.has(tenantId, normalizedAddress);
  }

  counts(): Record<PolicyEntityKind, number> {
    return {
      tenant: this.tenants.size,
      domain: this.domains.size,
      credential: this.credentials.size,
      inboundRoute: this.routes.size,
      suppression: this.suppressions.size,
    };
  }

  /**
   * Applies a validated delta atomically: if any change conflicts, every change already made is undone and
   * the PolicyIndexError is rethrown, so a node never serves a half-applied policy. A delta that does not
   * start at this version is refused ('version_mismatch'): the node must pull a full snapshot.
   */
  applyDelta(delta: PolicyDelta): void {
    if (delta.schemaVersion !== POLICY_SCHEMA_VERSION || delta.fromVersion !== this.#version) {
      throw new PolicyIndexError(
        'version_mismatch',
        `delta from version ${delta.fromVersion} does not apply to version ${this.#version}`,
      );
    }
    const undo: Undo[] = [];
    try {
      for (const change of delta.changes) undo.push(this.apply(change));
    } catch (error) {
      for (const step of undo.reverse()) this.restore(step);
      throw error;
    }
    this.#version = delta.toVersion;
    this.#generatedAt = delta.generatedAt;
  }

  toSnapshot(): PolicySnapshot {
    return {
      schemaVersion: POLICY_SCHEMA_VERSION,
      version: this.#version,
      generatedAt: this.#generatedAt,
      tenants: [...this.tenants.values()],
      domains: [...this.domains.values()],
      credentials: [...this.credentials.values()],
      inboundRoutes: [...this.routes.values()],
      suppressions: [...this.suppressions.values()],
    };
  }

  private add<K extends PolicyEntityKind>(kind: K, value: PolicyEntities[K]): void {
    this.table(kind).add(value);
  }

  private apply(change: PolicyChange): Undo {
    const table = this.table(change.kind);
    const id = change.op === 'upsert' ? change.value.id : change.id;
    const previous = table.get(id);
    table.remove(id);
    if (change.op === 'upsert') {
      try {
        table.add(change.value);
      } catch (error) {
        if (previous !== undefined) table.add(previous);
        throw error;
      }
    }
    return { kind: change.kind, id, previous };
  }

  private restore(step: Undo): void {
    const table = this.table(step.kind);
    table.remove(step.id);
    if (step.previous !== undefined) table.add(step.previous);
  }

  private table(kind: PolicyEntityKind): EntityTable<PolicyEntities[PolicyEntityKind]> {
    return this.tables[kind] as EntityTable<PolicyEntities[PolicyEntityKind]>;
  }
}
