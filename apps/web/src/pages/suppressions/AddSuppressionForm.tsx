import { type FormEvent, useState } from 'react';
import { unwrap } from '../../api/client';
import { SelectField, TextField } from '../../components/Field';
import { FormError } from '../../components/FormError';
import { compact, type FieldErrors, mergeErrors, required } from '../../components/form-errors';
import { LiveStatus } from '../../components/States';
import { useTenantMutation } from '../../session/tenant-query';

type Reason = 'manual' | 'unsubscribe' | 'complaint' | 'hard_bounce';

export function AddSuppressionForm() {
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [added, setAdded] = useState<string | null>(null);
  const add = useTenantMutation((api, body: { address: string; reason: Reason; detail?: string }) => unwrap(api.POST('/v1/suppressions', { body })), [['suppressions']]);
  const errors = mergeErrors(clientErrors, add.error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    const found = compact({ address: required(form.get('address'), 'Enter the address to stop sending to.') });
    setClientErrors(found);
    if (Object.keys(found).length > 0) return;
    const detail = String(form.get('detail') ?? '').trim();
    add.mutate(
      { address: String(form.get('address')).trim(), reason: form.get('reason') as Reason, ...(detail ? { detail } : {}) },
      { onSuccess: (s) => { setAdded(`${s.address} will no longer receive mail from you.`); element.reset(); } },
    );
  }

  return (
    <form onSubmit={submit} noValidate className="inline-form">
      <TextField label="Email address" name="address" type="email" error={errors.address} />
      <SelectField label="Reason" name="reason" defaultValue="manual">
        <option value="manual">Added by hand</option>
        <option value="unsubscribe">Unsubscribed</option>
        <option value="complaint">Complained</option>
        <option value="hard_bounce">Address does not exist</option>
      </SelectField>
      <TextField label="Note (optional)" name="detail" error={errors.detail} />
      <button type="submit" disabled={add.isPending}>Suppress</button>
      <FormError error={Object.keys(clientErrors).length === 0 ? add.error : null} />
      <LiveStatus message={added} />
    </form>
  );
}
