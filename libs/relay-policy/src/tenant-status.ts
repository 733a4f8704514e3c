import type { TenantPolicy } from './contract';
import { refuse, type Refusal } from './refusals';

/**
 * Null when the tenant may send. The tenant's reason goes into the reply for its own submissions; for inbound
 * mail pass `withReason: false`, because the remote sender is a stranger and the reason (billing, abuse) is
 * the tenant's business.
 */
export function tenantStatusRefusal(tenant: TenantPolicy, withReason = true): Refusal | null {
  const reason = withReason && tenant.statusReason !== null ? tenant.statusReason : undefined;
  switch (tenant.status) {
    case 'active':
      return null;
    case 'suspended':
      return refuse('tenant_suspended', reason);
    case 'paused':
      return refuse('tenant_paused', reason);
    default:
      return assertNever(tenant.status);
  }
}

function assertNever(value: never): never {
  throw new Error(`Unhandled tenant status: ${String(value)}`);
}
