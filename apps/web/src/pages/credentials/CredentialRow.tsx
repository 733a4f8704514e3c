import { useState } from 'react';
import { send, unwrap } from '../../api/client';
import type { Credential, CredentialWithSecret, DomainSummary } from '../../api/types';
import { Badge } from '../../components/Badge';
import { ConfirmButton } from '../../components/ConfirmButton';
import { FormError } from '../../components/FormError';
import { formatTime } from '../../components/format';
import { useTenantMutation } from '../../session/tenant-query';
import { CredentialForm, type CredentialInput } from './CredentialForm';

function scope(credential: Credential, domains: DomainSummary[]): string {
  const names = credential.allDomains ? 'all domains' : credential.domainIds.map((id) => domains.find((d) => d.id === id)?.unicodeName ?? 'a removed domain').join(', ');
  const ips = credential.ipAllowlist.length > 0 ? `; from ${credential.ipAllowlist.join(', ')}` : '';
  return `${names}${ips}`;
}

export function CredentialRow({ credential, domains, canWrite, onSecret }: { credential: Credential; domains: DomainSummary[]; canWrite: boolean; onSecret: (c: CredentialWithSecret) => void }) {
  const [editing, setEditing] = useState(false);
  const id = credential.id;
  const path = { params: { path: { id } } };
  const list = [['credentials']];
  const update = useTenantMutation((api, body: CredentialInput) => unwrap(api.PATCH('/v1/credentials/{id}', { ...path, body })), list);
  const toggle = useTenantMutation(
    (api) => unwrap(credential.status === 'active' ? api.POST('/v1/credentials/{id}/disable', path) : api.POST('/v1/credentials/{id}/enable', path)),
    list,
  );
  const rotate = useTenantMutation((api) => unwrap(api.POST('/v1/credentials/{id}/rotate', path)), list);
  const remove = useTenantMutation((api) => send(api.DELETE('/v1/credentials/{id}', path)), list);

  return (
    <li className="item">
      <div className="item-main">
        <div>
          <h3>{credential.name} <Badge status={credential.status} /></h3>
          <p className="small"><code>{credential.username}</code></p>
          <p className="small muted">Sends from {scope(credential, domains)}. Last used {formatTime(credential.lastUsedAt)}{credential.lastUsedIp ? ` from ${credential.lastUsedIp}` : ''}.</p>
        </div>
        {canWrite && (
          <div className="item-actions">
            <button type="button" className="button-small" aria-expanded={editing} onClick={() => setEditing(!editing)}>Edit</button>
            <button type="button" className="button-small" disabled={toggle.isPending} onClick={() => toggle.mutate(undefined)}>
              {credential.status === 'active' ? 'Disable' : 'Enable'}
            </button>
            <ConfirmButton label="Rotate" question="Make a new password? The old one stops working." onConfirm={() => rotate.mutate(undefined, { onSuccess: onSecret })} />
            <ConfirmButton label="Delete" question={`Delete ${credential.name}?`} onConfirm={() => remove.mutate(undefined)} />
          </div>
        )}
      </div>
      <FormError error={toggle.error ?? rotate.error ?? remove.error} />
      {editing && (
        <CredentialForm
          domains={domains}
          initial={credential}
          submitLabel="Save changes"
          pending={update.isPending}
          error={update.error}
          onSubmit={(input) => update.mutate(input, { onSuccess: () => setEditing(false) })}
        />
      )}
    </li>
  );
}
