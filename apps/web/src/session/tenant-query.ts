import { type QueryKey, useMutation, useQuery, useQueryClient, type UseQueryOptions } from '@tanstack/react-query';
import type { Api } from '../api/client';
import type { MyTenant } from '../api/types';
import { useSession } from './session-context';

/**
 * Every tenant-scoped cache entry starts with the tenant id, so switching tenant can never show another tenant's
 * cached data: the new tenant's keys simply have no entries yet.
 */
export function tenantKey(tenantId: string, ...parts: unknown[]): QueryKey {
  return ['tenant', tenantId, ...parts];
}

export function useCurrentTenant(): { tenantId: string; tenant: MyTenant; api: Api } {
  const { state, tenantId, apiFor } = useSession();
  const tenant = state.status === 'signed-in' ? state.tenants.find((t) => t.id === tenantId) : undefined;
  if (!tenantId || !tenant) throw new Error('no tenant selected');
  return { tenantId, tenant, api: apiFor(tenantId) };
}

export function useTenantQuery<T>(
  parts: unknown[],
  fetcher: (api: Api) => Promise<T>,
  options: { enabled?: boolean; refetchInterval?: UseQueryOptions<T, Error, T, QueryKey>['refetchInterval'] } = {},
) {
  const { tenantId, api } = useCurrentTenant();
  return useQuery({
    queryKey: tenantKey(tenantId, ...parts),
    queryFn: () => fetcher(api),
    enabled: options.enabled,
    refetchInterval: options.refetchInterval,
  });
}

/** A write for the current tenant; on success the listed cache entries (of this tenant only) are refetched. */
export function useTenantMutation<V, R>(mutate: (api: Api, variables: V) => Promise<R>, invalidate: unknown[][] = []) {
  const { tenantId, api } = useCurrentTenant();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (variables: V) => mutate(api, variables),
    onSuccess: () => Promise.all(invalidate.map((parts) => queryClient.invalidateQueries({ queryKey: tenantKey(tenantId, ...parts) }))),
  });
}

const WRITERS: Record<string, MyTenant['role'][]> = {
  config: ['owner', 'admin', 'developer'],
  people: ['owner', 'admin'],
  billing: ['owner'],
};

/** Who may see the plan and subscription (the API's billing:read); only the owner changes them (billing:write). */
export const BILLING_READERS: readonly MyTenant['role'][] = ['owner', 'admin'];

/**
 * Whether the current role may change relay configuration ("config"), members, keys and settings ("people"), or
 * the plan ("billing").
 */
export function useCanWrite(area: keyof typeof WRITERS): boolean {
  return WRITERS[area]!.includes(useCurrentTenant().tenant.role);
}
