import { useState } from 'react';
import { send, unwrap } from '../../api/client';
import type { InboundRoute } from '../../api/types';
import { ConfirmButton } from '../../components/ConfirmButton';
import { FormError } from '../../components/FormError';
import { useTenantMutation } from '../../session/tenant-query';
import { RouteForm, TLS_MODES, type RouteInput } from './RouteForm';

function destination(route: InboundRoute): string {
  if (route.action !== 'forward') return '—';
  return `${route.host ?? ''}${route.port ? `:${route.port}` : ''}`;
}

export function RouteRow({ route, domainName, canWrite }: { route: InboundRoute; domainName: string; canWrite: boolean }) {
  const [editing, setEditing] = useState(false);
  const path = { params: { path: { id: route.id } } };
  const list = [['inbound-routes']];
  const update = useTenantMutation((api, body: RouteInput) => unwrap(api.PATCH('/v1/inbound-routes/{id}', { ...path, body })), list);
  const remove = useTenantMutation((api) => send(api.DELETE('/v1/inbound-routes/{id}', path)), list);
  const address = `${route.pattern}@${domainName}`;

  return (
    <>
      <tr>
        <th scope="row" className="wrap">{address}</th>
        <td data-label="Action">{route.action === 'forward' ? 'Forward' : 'Reject'}</td>
        <td data-label="Destination" className="wrap">{destination(route)}</td>
        <td data-label="TLS">{route.action === 'forward' ? TLS_MODES[route.tlsMode].short : '—'}</td>
        <td>
          {canWrite && (
            <div className="item-actions">
              <button type="button" className="button-small" aria-expanded={editing} aria-label={`Edit ${address}`} onClick={() => setEditing(!editing)}>Edit</button>
              <ConfirmButton label="Delete" question="Delete this route?" onConfirm={() => remove.mutate(undefined)} />
            </div>
          )}
          <FormError error={remove.error} />
        </td>
      </tr>
      {editing && (
        <tr>
          <td colSpan={5}>
            <RouteForm
              initial={route}
              submitLabel="Save changes"
              pending={update.isPending}
              error={update.error}
              onSubmit={(input) => update.mutate(input, { onSuccess: () => setEditing(false) })}
            />
          </td>
        </tr>
      )}
    </>
  );
}
