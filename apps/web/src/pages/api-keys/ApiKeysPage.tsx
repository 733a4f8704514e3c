import { type FormEvent, useState } from 'react';
import { send, unwrap } from '../../api/client';
import type { CreatedApiKey, Role } from '../../api/types';
import { ConfirmButton } from '../../components/ConfirmButton';
import { SelectField, TextField } from '../../components/Field';
import { FormError } from '../../components/FormError';
import { compact, type FieldErrors, mergeErrors, required } from '../../components/form-errors';
import { formatTime } from '../../components/format';
import { Page, Section } from '../../components/Page';
import { SecretOnce } from '../../components/SecretOnce';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { useCanWrite, useTenantMutation, useTenantQuery } from '../../session/tenant-query';

export function ApiKeysPage() {
  const canWrite = useCanWrite('people');
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const keys = useTenantQuery(['api-keys'], (api) => unwrap(api.GET('/v1/api-keys', { params: { query: { limit: 200 } } })));
  const create = useTenantMutation((api, body: { name: string; role: Role; expiresAt?: string }) => unwrap(api.POST('/v1/api-keys', { body })), [['api-keys']]);
  const revoke = useTenantMutation((api, id: string) => send(api.DELETE('/v1/api-keys/{id}', { params: { path: { id } } })), [['api-keys']]);
  const errors = mergeErrors(clientErrors, create.error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    const expires = String(form.get('expiresAt') ?? '');
    const found = compact({ name: required(form.get('name'), 'Name the key after what will use it.') });
    setClientErrors(found);
    if (Object.keys(found).length > 0) return;
    create.mutate(
      { name: String(form.get('name')).trim(), role: form.get('role') as Role, ...(expires ? { expiresAt: new Date(`${expires}T23:59:59`).toISOString() } : {}) },
      { onSuccess: (key) => { setCreated(key); element.reset(); } },
    );
  }

  return (
    <Page title="API keys" intro="For scripts and CI that call this API. Send the key as “Authorization: Bearer …”; it acts on this team only.">
      {created && (
        <SecretOnce title={`API key ${created.name}`} label="API key" secret={created.key} onDone={() => setCreated(null)} />
      )}
      {canWrite && (
        <Section title="Create a key">
          <form onSubmit={submit} noValidate className="inline-form">
            <TextField label="Name" name="name" error={errors.name} />
            <SelectField label="Role" name="role" defaultValue="developer" error={errors.role}>
              <option value="viewer">Viewer (read only)</option>
              <option value="developer">Developer</option>
              <option value="admin">Admin</option>
            </SelectField>
            <TextField label="Expires (optional)" name="expiresAt" type="date" error={errors.expiresAt} />
            <button type="submit" disabled={create.isPending}>Create key</button>
            <FormError error={Object.keys(clientErrors).length === 0 ? create.error : null} />
          </form>
        </Section>
      )}
      <Section title="Keys">
        <FormError error={revoke.error} />
        {keys.isPending && <Loading what="API keys" />}
        {keys.isError && <ErrorState error={keys.error} retry={() => keys.refetch()} />}
        {keys.data?.items.length === 0 && <EmptyState title="No API keys.">Create one for each script or pipeline, so each can be revoked alone.</EmptyState>}
        {keys.data && keys.data.items.length > 0 && (
          <div className="table-wrap">
            <table>
              <thead>
                <tr><th scope="col">Name</th><th scope="col">Key starts with</th><th scope="col">Role</th><th scope="col">Last used</th><th scope="col">Expires</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr>
              </thead>
              <tbody>
                {keys.data.items.map((key) => (
                  <tr key={key.id}>
                    <th scope="row">{key.name}</th>
                    <td><code>{key.prefix}…</code></td>
                    <td>{key.role}</td>
                    <td>{formatTime(key.lastUsedAt)}</td>
                    <td>{key.expiresAt ? formatTime(key.expiresAt) : 'Never'}</td>
                    <td>{key.revokedAt ? <span className="badge badge-off">revoked</span> : canWrite && <ConfirmButton label="Revoke" question={`Revoke ${key.name}?`} onConfirm={() => revoke.mutate(key.id)} />}</td>
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
