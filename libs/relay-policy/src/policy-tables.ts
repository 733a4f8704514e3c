import type { CredentialPolicy, DomainPolicy, InboundRoutePolicy, SuppressionPolicy, TenantPolicy } from './contract';
import { parseIpRange, type IpRange } from './ip-allowlist';

export type PolicyIndexErrorCode =
  | 'version_mismatch'
  | 'duplicate_id'
  | 'duplicate_username'
  | 'duplicate_route'
  | 'invalid_ip_range';

export class PolicyIndexError extends Error {
  constructor(
    readonly code: PolicyIndexErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PolicyIndexError';
  }
}

/**
 * One entity kind: the primary map by id plus its secondary lookups. `add` checks every conflict before it
 * changes anything, so a refused entity leaves the table as it was. Entries are the parsed contract objects
 * themselves (no copies), which keeps 300k credentials at a few hundred bytes each.
 */
export abstract class EntityTable<T extends { id: string }> {
  protected readonly byId = new Map<string, T>();

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  get size(): number {
    return this.byId.size;
  }

  values(): IterableIterator<T> {
    return this.byId.values();
  }

  add(value: T): void {
    if (this.byId.has(value.id)) throw new PolicyIndexError('duplicate_id', `duplicate id ${value.id}`);
    this.link(value);
    this.byId.set(value.id, value);
  }

  remove(id: string): void {
    const existing = this.byId.get(id);
    if (existing === undefined) return;
    this.byId.delete(id);
    this.unlink(existing);
  }

  /** Checks conflicts, then adds secondary index entries. Must throw before changing anything. */
  protected abstract link(value: T): void;
  protected abstract unlink(value: T): void;
}

export class TenantTable extends EntityTable<TenantPolicy> {
  protected link(): void {}
  protected unlink(): void {}
}

export class DomainTable extends EntityTable<DomainPolicy> {
  // Several tenants may claim the same name while it is unverified, so a name maps to a list.
  private readonly byName = new Map<string, DomainPolicy[]>();

  named(name: string): readonly DomainPolicy[] {
    return this.byName.get(name) ?? [];
  }

  protected link(value: DomainPolicy): void {
    const list = this.byName.get(value.name);
    if (list === undefined) this.byName.set(value.name, [value]);
    else list.push(value);
  }

  protected unlink(value: DomainPolicy): void {
    const remaining = (this.byName.get(value.name) ?? []).filter((d) => d !== value);
    if (remaining.length === 0) this.byName.delete(value.name);
    else this.byName.set(value.name, remaining);
  }
}

export class CredentialTable extends EntityTable<CredentialPolicy> {
  private readonly byUsername = new Map<string, CredentialPolicy>();
  // Only credentials with a non-empty allowlist have an entry: most have none, and this keeps them lean.
  private readonly ranges = new Map<string, IpRange[]>();

  byName(username: string): CredentialPolicy | undefined {
    return this.byUsername.get(username);
  }

  allowlist(id: string): readonly IpRange[] {
    return this.ranges.get(id) ?? [];
  }

  protected link(value: CredentialPolicy): void {
    if (this.byUsername.has(value.username)) {
      throw new PolicyIndexError('duplicate_username', `username of credential ${value.id} is already in use`);
    }
    const ranges = compileAllowlist(value);
    this.byUsername.set(value.username, value);
    if (ranges.length > 0) this.ranges.set(value.id, ranges);
  }

  protected unlink(value: CredentialPolicy): void {
    this.byUsername.delete(value.username);
    this.ranges.delete(value.id);
  }
}

function compileAllowlist(credential: CredentialPolicy): IpRange[] {
  return credential.ipAllowlist.map((entry) => {
    const range = parseIpRange(entry);
    if (range === null) {
      throw new PolicyIndexError('invalid_ip_range', `credential ${credential.id} has an invalid allowlist entry`);
    }
    return range;
  });
}

export class InboundRouteTable extends EntityTable<InboundRoutePolicy> {
  private readonly byDomain = new Map<string, Map<string, InboundRoutePolicy>>();

  /** The route for a lowercase local part: an exact pattern wins over the '*' catch-all. */
  match(domainId: string, localPart: string): InboundRoutePolicy | undefined {
    const routes = this.byDomain.get(domainId);
    return routes?.get(localPart) ?? routes?.get('*');
  }

  protected link(value: InboundRoutePolicy): void {
    const routes = this.byDomain.get(value.domainId);
    if (routes?.has(value.pattern)) {
      throw new PolicyIndexError('duplicate_route', `route ${value.id} repeats a pattern of domain ${value.domainId}`);
    }
    if (routes === undefined) this.byDomain.set(value.domainId, new Map([[value.pattern, value]]));
    else routes.set(value.pattern, value);
  }

  protected unlink(value: InboundRoutePolicy): void {
    const routes = this.byDomain.get(value.domainId);
    routes?.delete(value.pattern);
    if (routes?.size === 0) this.byDomain.delete(value.domainId);
  }
}

export class SuppressionTable extends EntityTable<SuppressionPolicy> {
  // Counted, so deleting one of two suppressions of the same address keeps the address suppressed.
  private readonly byTenant = new Map<string, Map<string, number>>();

  has(tenantId: string, normalizedAddress: string): boolean {
    return this.byTenant.get(tenantId)?.has(normalizedAddress) ?? false;
  }

  protected link(value: SuppressionPolicy): void {
    let addresses = this.byTenant.get(value.tenantId);
    if (addresses === undefined) {
      addresses = new Map();
      this.byTenant.set(value.tenantId, addresses);
    }
    addresses.set(value.address, (addresses.get(value.address) ?? 0) + 1);
  }

  protected unlink(value: SuppressionPolicy): void {
    const addresses = this.byTenant.get(value.tenantId);
    const left = (addresses?.get(value.address) ?? 0) - 1;
    if (left > 0) addresses?.set(value.address, left);
    else addresses?.delete(value.address);
    if (addresses?.size === 0) this.byTenant.delete(value.tenantId);
  }
}
