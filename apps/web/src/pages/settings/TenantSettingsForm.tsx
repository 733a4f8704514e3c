import { type FormEvent, useState } from 'react';
import { unwrap } from '../../api/client';
import type { TenantView } from '../../api/types';
import { CheckboxField, TextField } from '../../components/Field';
import { FormError } from '../../components/FormError';
import { compact, type FieldErrors, mergeErrors, required } from '../../components/form-errors';
import { LiveStatus } from '../../components/States';
import { useSession } from '../../session/session-context';
import { useTenantMutation } from '../../session/tenant-query';

export function TenantSettingsForm({ tenant, canWrite }: { tenant: TenantView; canWrite: boolean }) {
  const { refresh } = useSession();
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState<string | null>(null);
  const update = useTenantMutation((api, body: { name: string; bounceNotices: boolean }) => unwrap(api.PATCH('/v1/tenant', { body })), [['tenant']]);
  const errors = mergeErrors(clientErrors, update.error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const found = compact({ name: required(form.get('name'), 'The team needs a name.') });
    setClientErrors(found);
    setSaved(null);
    if (Object.keys(found).length > 0) return;
    update.mutate(
      { name: String(form.get('name')).trim(), bounceNotices: form.get('bounceNotices') === 'on' },
      { onSuccess: () => { setSaved('Settings saved.'); void refresh(); } },
    );
  }

  return (
    <form onSubmit={submit} noValidate>
      <fieldset disabled={!canWrite}>
        <TextField label="Team name" name="name" defaultValue={tenant.name} error={errors.name} />
        <CheckboxField label="Email me when mail bounces" name="bounceNotices" defaultChecked={tenant.bounceNotices} hint="A short notice to the team's owners for each hard bounce." />
        <FormError error={Object.keys(clientErrors).length === 0 ? update.error : null} />
        <button type="submit" disabled={update.isPending}>Save</button>
      </fieldset>
      {!canWrite && <p className="muted small">Only owners and admins can change these.</p>}
      <LiveStatus message={saved} />
    </form>
  );
}
