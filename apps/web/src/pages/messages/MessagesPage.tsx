import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router-dom';
import { ApiError } from '../../api/api-error';
import { unwrap } from '../../api/client';
import type { MessageQuery } from '../../api/types';
import { Badge } from '../../components/Badge';
import { formatTime } from '../../components/format';
import { Page, Section } from '../../components/Page';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { tenantKey, useCurrentTenant } from '../../session/tenant-query';
import { LogTabs } from './LogTabs';
import { FILTERS, MessageFilters } from './MessageFilters';

/** datetime-local values are local wall-clock times; the API wants ISO instants. */
function toQuery(params: URLSearchParams): MessageQuery {
  const query: Record<string, string> = {};
  for (const name of FILTERS) {
    const value = params.get(name);
    if (!value) continue;
    query[name] = name === 'from' || name === 'to' ? new Date(value).toISOString() : value;
  }
  return query as MessageQuery;
}

export function MessagesPage() {
  const { tenantId, api } = useCurrentTenant();
  const [params] = useSearchParams();
  const query = toQuery(params);
  const messages = useInfiniteQuery({
    queryKey: tenantKey(tenantId, 'messages', query),
    queryFn: ({ pageParam }) => unwrap(api.GET('/v1/messages', { params: { query: { ...query, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    initialPageParam: '',
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const fieldErrors = messages.error instanceof ApiError ? messages.error.fields : {};
  const rows = messages.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = params.toString() !== '';

  return (
    <Page title="Messages" intro="Every message the relay accepted for your team, newest first.">
      <LogTabs />
      <Section title="Search">
        <MessageFilters errors={fieldErrors} />
      </Section>
      <Section title="Results">
        {messages.isPending && <Loading what="messages" />}
        {messages.isError && Object.keys(fieldErrors).length === 0 && <ErrorState error={messages.error} retry={() => messages.refetch()} />}
        {messages.isSuccess && rows.length === 0 && (
          <EmptyState title={filtered ? 'No messages match these filters.' : 'No messages yet.'}>
            {filtered ? 'Widen the time range or clear a filter.' : 'Send through one of your SMTP credentials and the message shows up here within seconds.'}
          </EmptyState>
        )}
        {rows.length > 0 && (
          <div className="table-wrap">
            <table className="messages">
              <thead>
                <tr>
                  <th scope="col">Accepted</th>
                  <th scope="col">From</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Recipients</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((message) => (
                  <tr key={message.id}>
                    <td data-label="Accepted"><Link to={`/messages/${message.id}`}>{formatTime(message.acceptedAt)}</Link></td>
                    <td data-label="From" className="wrap">{message.mailFrom || '<>'}</td>
                    <td data-label="Subject" className="wrap">{message.subject ?? <span className="muted">(no subject)</span>}</td>
                    <td data-label="Recipients">{message.recipientCount}</td>
                    <td data-label="Status" className="status"><Badge status={message.status} /> {message.direction === 'inbound' && <span className="small muted">inbound</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {messages.hasNextPage && (
          <button type="button" className="button-secondary" disabled={messages.isFetchingNextPage} onClick={() => messages.fetchNextPage()}>
            {messages.isFetchingNextPage ? 'Loading…' : 'Show older messages'}
          </button>
        )}
      </Section>
    </Page>
  );
}
