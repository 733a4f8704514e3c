import { type FormEvent, useState } from 'react';
import { unwrap } from '../../api/client';
import type { CreatedInvitation, Role } from '../../api/types';
import { SelectField, TextField } from '../../components/Field';
import { FormError } from '../../components/FormError';
import { compact, type FieldErrors, mergeErrors, required } from '../../components/form-errors';
import { SecretOnce } from '../../components/SecretOnce';
import { useTenantMutation } from '../../session/tenant-query';

export function InviteForm({ canGrantOwner }: { canGrantOwner: boolean }) {
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [created, setCreated] = useState<CreatedInvitation | null>(null);
  const invite = useTenantMutation((api, body: { email: string; role: Role }) => unwrap(api.POST('/v1/invitations', { body })), [['invitations']]);
  const errors = mergeErrors(clientErrors, invite.error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    const found = compact({ email: required(form.get('email'), 'Enter the email address of the person to invite.') });
    setClientErrors(found);
    if (Object.keys(found).length > 0) return;
    invite.mutate({ email: String(form.get('email')).trim(), role: form.get('role') as Role }, { onSuccess: (i) => { setCreated(i); element.reset(); } });
  }

  if (created) {
    return (
      <SecretOnce title={`Invitation for ${created.email}`} label="invitation link" secret={created.acceptUrl} onDone={() => setCreated(null)}>
        <p>Send this link to {created.email}. It works once, for that email address, until {new Date(created.expiresAt).toLocaleDateString()}.</p>
      </SecretOnce>
    );
  }
  return (
    <form onSubmit={submit} noValidate className="inline-form">
      <TextField label="Email" name="email" type="email" error={errors.email} />
      <SelectField label="Role" name="role" defaultValue="developer" error={errors.role}>
        <option value="viewer">Viewer: sees everything, changes nothing</option>
        <option value="developer">Developer: domains, credentials, routes</option>
        <option value="admin">Admin: also members, keys, settings</option>
        {canGrantOwner && <option value="owner">Owner: also billing and owners</option>}
      </SelectField>
      <button type="submit" disabled={invite.isPending}>Invite</button>
      <FormError error={Object.keys(clientErrors).length === 0 ? invite.error : null} />
    </form>
  );
}
