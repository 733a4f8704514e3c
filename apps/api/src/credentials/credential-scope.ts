import type { Prisma } from '@smarthost/db';
import type { TenantContext } from '../auth/principal';
import { AppError } from '../core/app-error';

/** What a credential may send as. Input and stored form are the same; validation only checks it against the tenant. */
export interface CredentialScope {
  allDomains: boolean;
  domainIds: string[];
  allowedSenders: string[];
}

/** The scope a create or update asks for, merged over the current one (absent on create). */
export function requestedScope(
  body: { allDomains?: boolean; domainIds?: string[]; allowedSenders?: string[] },
  current?: CredentialScope,
): CredentialScope {
  // Listing domains without saying allDomains means "only these"; saying neither keeps what there is (or, on
  // create, every domain of the tenant).
  const allDomains = body.allDomains ?? (body.domainIds ? body.domainIds.length === 0 : (current?.allDomains ?? true));
  const domainIds = body.domainIds ?? (allDomains ? [] : (current?.domainIds ?? []));
  return { allDomains, domainIds: [...new Set(domainIds)], allowedSenders: body.allowedSenders ?? current?.allowedSenders ?? [] };
}

/**
 * Checks a scope against the tenant's own domains: listed domains must be the tenant's (another tenant's id reads as
 * "no such domain"), and each allowed sender must be an address in a domain the credential covers. Domains may still
 * be pending: the relay only lets a credential send from domains that are verified when the mail arrives.
 */
export async function assertScopeOwned(
  tx: Prisma.TransactionClient,
  tenant: TenantContext,
  scope: CredentialScope,
): Promise<void> {
  if (scope.allDomains && scope.domainIds.length > 0) {
    throw AppError.invalid('body.domainIds', 'must be empty when allDomains is true');
  }
  if (!scope.allDomains && scope.domainIds.length === 0) {
    throw AppError.invalid('body.domainIds', 'must list at least one domain when allDomains is false');
  }
  const names = scope.allDomains
    ? await tenantDomainNames(tx, tenant, senderDomains(scope.allowedSenders))
    : await listedDomainNames(tx, tenant, scope.domainIds);
  scope.allowedSenders.forEach((address, index) => {
    if (!names.has(address.slice(address.lastIndexOf('@') + 1))) {
      throw AppError.invalid(`body.allowedSenders.${index}`, "must be an address in one of the credential's domains");
    }
  });
}

function senderDomains(senders: string[]): string[] {
  return [...new Set(senders.map((address) => address.slice(address.lastIndexOf('@') + 1)))];
}

async function tenantDomainNames(tx: Prisma.TransactionClient, tenant: TenantContext, names: string[]): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  const rows = await tx.domain.findMany({
    where: { tenantId: tenant.tenantId, name: { in: names } },
    select: { name: true },
  });
  return new Set(rows.map((row) => row.name));
}

async function listedDomainNames(tx: Prisma.TransactionClient, tenant: TenantContext, ids: string[]): Promise<Set<string>> {
  const rows = await tx.domain.findMany({
    where: { tenantId: tenant.tenantId, id: { in: ids } },
    select: { id: true, name: true },
  });
  const found = new Set(rows.map((row) => row.id));
  const missing = ids.findIndex((id) => !found.has(id));
  if (missing !== -1) throw AppError.invalid(`body.domainIds.${missing}`, 'no such domain');
  return new Set(rows.map((row) => row.name));
}
