import { useState } from 'react';
import { send, unwrap } from '../../api/client';
import { ConfirmButton } from '../../components/ConfirmButton';
import { TextField } from '../../components/Field';
import { FormError } from '../../components/FormError';
import { formatTime } from '../../components/format';
import { Page, Section } from '../../components/Page';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { useCanWrite, useTenantMutation, useTenantQuery } from '../../session/tenant-query';
import { AddSuppressionForm } from './AddSuppressionForm';
import { ExportButton } from './ExportButton';

const REASONS: Record<string, string> = { manual: 'Added by hand', unsubscribe: 'Unsubscribed', complaint: 'Complained', hard_bounce: 'Hard bounce' };

export function SuppressionsPage() {
  const canWrite = useCanWrite('config');
  const [prefix, setPrefix] = useState('');
  const search = prefix.trim();
  const list = useTenantQuery(['suppressions', search], (api) =>
    unwrap(api.GET('/v1/suppressions', { params: { query: { limit: 200, ...(search ? { prefix: search } : {}) } } })),
  );
  const remove = useTenantMutation((api, id: string) => send(api.DELETE('/v1/suppressions/{id}', { params: { path: { id } } })), [['suppressions']]);

  return (
    <Page title="Suppressions" intro="The relay refuses to send to these addresses, so bounces and complaints do not hurt your reputation." actions={<ExportButton />}>
      {canWrite && (
        <Section title="Suppress an address">
          <AddSuppressionForm />
        </Section>
      )}
      <Section title="Suppressed addresses">
        <TextField label="Find addresses starting with" type="search" value={prefix} onChange={(e) => setPrefix(e.target.value)} />
        <FormError error={remove.error} />
        {list.isPending && <Loading what="suppressions" />}
        {list.isError && <ErrorState error={list.error} retry={() => list.refetch()} />}
        {list.data?.items.length === 0 && (
          <EmptyState title={search ? 'No suppressed address starts with that.' : 'No suppressed addresses.'}>
            {search ? null : 'Hard bounces and complaints are added here automatically.'}
          </EmptyState>
        )}
        {list.data && list.data.items.length > 0 && (
          <div className="table-wrap">
            <table>
              <thead>
                <tr><th scope="col">Address</th><th scope="col">Reason</th><th scope="col">Added</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr>
              </thead>
              <tbody>
                {list.data.items.map((s) => (
                  <tr key={s.id}>
                    <th scope="row" className="wrap">{s.address}</th>
                    <td>{REASONS[s.reason] ?? s.reason}{s.detail && <p className="small muted">{s.detail}</p>}</td>
                    <td>{formatTime(s.createdAt)}</td>
                    <td>{canWrite && <ConfirmButton label="Remove" question={`Send to ${s.address} again?`} onConfirm={() => remove.mutate(s.id)} />}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
    </Page>
  );
}
