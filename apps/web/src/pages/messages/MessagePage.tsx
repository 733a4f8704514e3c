import { Link, useParams } from 'react-router-dom';
import { unwrap } from '../../api/client';
import { Badge } from '../../components/Badge';
import { formatTime } from '../../components/format';
import { Page, Section } from '../../components/Page';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { useTenantQuery } from '../../session/tenant-query';

function reply(code: number | null, enhanced: string | null, text: string | null): string {
  return [code, enhanced, text].filter((part) => part !== null && part !== '').join(' ');
}

export function MessagePage() {
  const { id = '' } = useParams();
  const message = useTenantQuery(['messages', 'detail', id], (api) => unwrap(api.GET('/v1/messages/{id}', { params: { path: { id } } })));
  if (message.isPending) return <Loading what="message" />;
  if (message.isError) return <ErrorState error={message.error} retry={() => message.refetch()} />;
  const m = message.data;
  return (
    <Page title={m.subject ?? '(no subject)'} intro={<><Link to="/messages">Messages</Link> · <Badge status={m.status} /></>}>
      <Section title="Details">
        <dl className="pairs">
          <div><dt>Message id</dt><dd><code>{m.id}</code></dd></div>
          <div><dt>Envelope sender</dt><dd>{m.mailFrom || '<>'}</dd></div>
          <div><dt>From header</dt><dd>{m.headerFrom ?? '—'}</dd></div>
          <div><dt>Message-ID header</dt><dd className="wrap">{m.messageIdHeader ?? '—'}</dd></div>
          <div><dt>Accepted</dt><dd>{formatTime(m.acceptedAt)}</dd></div>
          <div><dt>Size</dt><dd>{(m.sizeBytes / 1024).toFixed(1)} KB</dd></div>
        </dl>
      </Section>
      <Section title="Recipients">
        <div className="table-wrap">
          <table>
            <thead>
              <tr><th scope="col">Address</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Last reply</th></tr>
            </thead>
            <tbody>
              {m.recipients.map((r) => (
                <tr key={r.address}>
                  <th scope="row" className="wrap">{r.address}</th>
                  <td><Badge status={r.status} /></td>
                  <td>{r.attempts}</td>
                  <td className="wrap small">{reply(r.smtpCode, r.enhancedCode, r.response) || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
      <Section title="Timeline">
        {m.events.length === 0 ? (
          <EmptyState title="No events recorded.">Events older than the retention window are removed.</EmptyState>
        ) : (
          <ol className="timeline">
            {m.events.map((event, index) => (
              <li key={index}>
                <time>{formatTime(event.occurredAt)}</time>
                <Badge status={event.type} />
                {event.recipient && <span className="wrap"> {event.recipient}</span>}
                {(event.smtpCode || event.response) && <p className="small muted wrap">{reply(event.smtpCode, event.enhancedCode, event.response)}</p>}
                {event.relayNode && <p className="small muted">via {event.relayNode}</p>}
              </li>
            ))}
          </ol>
        )}
      </Section>
    </Page>
  );
}
