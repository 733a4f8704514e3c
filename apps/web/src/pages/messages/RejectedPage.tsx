import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router-dom';
import { unwrap } from '../../api/client';
import type { Rejection, RejectionQuery } from '../../api/types';
import { formatNumber, formatTime } from '../../components/format';
import { Page, Section } from '../../components/Page';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { tenantKey, useCurrentTenant, useTenantQuery } from '../../session/tenant-query';
import { LogTabs } from './LogTabs';
import { rejectionWords } from './rejection-words';

/** The link to this page for one reason over a range (the Overview's chart links here). */
export function rejectedLink(range: { from?: string; to?: string }, reason?: string): string {
  const params = new URLSearchParams();
  if (reason) params.set('reason', reason);
  if (range.from) params.set('from', range.from);
  if (range.to) params.set('to', range.to);
  const query = params.toString();
  return `/messages/rejected${query ? `?${query}` : ''}`;
}

/** One refusal; its reason is named unless the list is of one reason already. */
function RejectionItem({ rejection, named }: { rejection: Rejection; named: boolean }) {
  return (
    <li className="item">
      <p>
        {named && <strong>{rejectionWords(rejection.reason)} </strong>}
        <span className="muted small">{formatTime(rejection.occurredAt)}</span>
      </p>
      {rejection.recipient && <p className="small wrap">Recipient: {rejection.recipient}</p>}
      {rejection.reply && <p className="small muted wrap">Relay answered: <code>{rejection.reply}</code></p>}
    </li>
  );
}

/** Mail the relay refused, counted by reason; the reasons filter the list (the filter lives in the URL). */
export function RejectedPage() {
  const { tenantId, api } = useCurrentTenant();
  const [params] = useSearchParams();
  const range = { ...(params.get('from') ? { from: params.get('from') as string } : {}), ...(params.get('to') ? { to: params.get('to') as string } : {}) };
  const reason = params.get('reason') ?? undefined;
  const reasons = useTenantQuery(['rejections', 'reasons', range], (a) => unwrap(a.GET('/v1/rejections/reasons', { params: { query: range } })));
  const list = useInfiniteQuery({
    queryKey: tenantKey(tenantId, 'rejections', { ...range, reason }),
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/v1/rejections', { params: { query: { ...range, ...(reason ? { reason: reason as RejectionQuery['reason'] } : {}), limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    initialPageParam: '',
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((page) => page.items) ?? [];
  const total = reasons.data?.reasons.reduce((sum, r) => sum + r.count, 0) ?? 0;
  const period = reasons.data ? `${formatTime(reasons.data.from)} – ${formatTime(reasons.data.to)}` : '';

  return (
    <Page title="Rejected mail" intro="Mail the relay refused before accepting it, and why. The sending application was told at once, with the reply shown.">
      <LogTabs />
      <Section title="Reasons">
        {reasons.isPending && <Loading what="reasons" />}
        {reasons.isError && <ErrorState error={reasons.error} retry={() => reasons.refetch()} />}
        {reasons.data && (
          <>
            <p className="muted small">{period}</p>
            <ul className="reasons">
              <li>
                <Link to={rejectedLink(range)} aria-current={reason ? undefined : 'true'}>All reasons</Link> <span className="count">{formatNumber(total)}</span>
              </li>
              {reasons.data.reasons.map((r) => (
                <li key={r.reason}>
                  <Link to={rejectedLink(range, r.reason)} aria-current={reason === r.reason ? 'true' : undefined}>{rejectionWords(r.reason)}</Link>{' '}
                  <span className="count">{formatNumber(r.count)}</span>
                </li>
              ))}
            </ul>
          </>
        )}
      </Section>
      <Section title={reason ? rejectionWords(reason) : 'All rejections'}>
        {list.isPending && <Loading what="rejections" />}
        {list.isError && <ErrorState error={list.error} retry={() => list.refetch()} />}
        {list.isSuccess && rows.length === 0 && <EmptyState title="Nothing was rejected in this period." />}
        {rows.length > 0 && (
          <ul className="items">
            {rows.map((rejection) => <RejectionItem key={rejection.id} rejection={rejection} named={!reason} />)}
          </ul>
        )}
        {list.hasNextPage && (
          <button type="button" className="button-secondary" disabled={list.isFetchingNextPage} onClick={() => list.fetchNextPage()}>
            {list.isFetchingNextPage ? 'Loading…' : 'Show older rejections'}
          </button>
        )}
      </Section>
    </Page>
  );
}
