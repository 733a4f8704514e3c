import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../api/api-error';
import { type Api, createApi, unwrap } from '../api/client';
import type { Me, MyTenant, Session } from '../api/types';

type Fetch = (request: Request) => Promise<Response>;

export type SessionState =
  | { status: 'loading' }
  | { status: 'anonymous' }
  | { status: 'signed-in'; user: Me['user']; tenants: MyTenant[] };

interface SessionValue {
  state: SessionState;
  /** A client that sends the CSRF token but no tenant: for auth and the user's own routes. */
  api: Api;
  /** A client bound to one tenant; queries for that tenant must use it, never a client bound to another. */
  apiFor(tenantId: string): Api;
  tenantId: string | null;
  selectTenant(tenantId: string): void;
  signedIn(session: Session): void;
  refresh(): Promise<void>;
  signedOut(): void;
}

const SessionContext = createContext<SessionValue | null>(null);
const TENANT_STORAGE_KEY = 'smarthost.tenant';

function storedTenant(tenants: MyTenant[]): string | null {
  const saved = globalThis.localStorage?.getItem(TENANT_STORAGE_KEY);
  return tenants.find((tenant) => tenant.id === saved)?.id ?? tenants[0]?.id ?? null;
}

export function SessionProvider({ children, fetch }: { children: ReactNode; fetch?: Fetch }) {
  const queryClient = useQueryClient();
  const csrf = useRef<string | null>(null);
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [tenantId, setTenantId] = useState<string | null>(null);

  const clients = useMemo(() => new Map<string, Api>(), []);
  const apiFor = useCallback(
    (id: string | null): Api => {
      const key = id ?? '';
      let client = clients.get(key);
      if (!client) {
        client = createApi({ fetch, context: { tenantId: () => id, csrfToken: () => csrf.current } });
        clients.set(key, client);
      }
      return client;
    },
    [clients, fetch],
  );
  const api = apiFor(null);

  const applyMe = useCallback((me: Me) => {
    setState({ status: 'signed-in', user: me.user, tenants: me.tenants });
    setTenantId((current) => (me.tenants.some((t) => t.id === current) ? current : storedTenant(me.tenants)));
  }, []);

  const signedOut = useCallback(() => {
    csrf.current = null;
    queryClient.clear();
    setState({ status: 'anonymous' });
    setTenantId(null);
  }, [queryClient]);

  const refresh = useCallback(async () => {
    try {
      const me = await unwrap(api.GET('/v1/auth/me'));
      csrf.current = ((await unwrap(api.GET('/v1/auth/csrf'))) as { csrfToken: string }).csrfToken;
      applyMe(me);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) signedOut();
      else throw error;
    }
  }, [api, applyMe, signedOut]);

  useEffect(() => {
    refresh().catch(() => setState({ status: 'anonymous' }));
  }, [refresh]);

  // Any call that finds the session gone sends the user back to the log-in page.
  useEffect(() => {
    const onError = (error: unknown) => {
      if (error instanceof ApiError && error.status === 401 && csrf.current) signedOut();
    };
    const queries = queryClient.getQueryCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') onError(event.action.error);
    });
    const mutations = queryClient.getMutationCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') onError(event.action.error);
    });
    return () => {
      queries();
      mutations();
    };
  }, [queryClient, signedOut]);

  const value = useMemo<SessionValue>(
    () => ({
      state,
      api,
      apiFor,
      tenantId,
      selectTenant: (id) => {
        globalThis.localStorage?.setItem(TENANT_STORAGE_KEY, id);
        setTenantId(id);
      },
      signedIn: (session) => {
        queryClient.clear();
        csrf.current = session.csrfToken;
        applyMe(session);
      },
      refresh,
      signedOut,
    }),
    [state, api, apiFor, tenantId, queryClient, applyMe, refresh, signedOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
