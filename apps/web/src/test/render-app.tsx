import { render } from '@testing-library/react';
import { App, newQueryClient } from '../App';
import { fakeApi, type Handler } from './fake-api';

/** The whole app at `path`, talking to canned answers instead of a server. */
export function renderApp(path: string, handlers: Record<string, Handler>) {
  window.history.pushState({}, '', path);
  window.localStorage.clear();
  const api = fakeApi(handlers);
  const queryClient = newQueryClient();
  const view = render(<App fetch={api.fetch} queryClient={queryClient} />);
  return { ...view, ...api, queryClient };
}
