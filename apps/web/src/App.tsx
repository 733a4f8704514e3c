import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { BrowserRouter } from 'react-router-dom';
import { ApiError } from './api/api-error';
import { AppRoutes } from './Routes';
import { SessionProvider } from './session/session-context';
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';

type Fetch = (request: Request) => Promise<Response>;

export function newQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        // A 4xx will not change on retry; a network blip or 503 might.
        retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      },
    },
  });
}

export function App({ fetch, queryClient }: { fetch?: Fetch; queryClient?: QueryClient }) {
  const [client] = useState(() => queryClient ?? newQueryClient());
  return (
    <QueryClientProvider client={client}>
      <SessionProvider fetch={fetch}>
        <BrowserRouter>
          <AppRoutes />
        </BrowserRouter>
      </SessionProvider>
    </QueryClientProvider>
  );
}
