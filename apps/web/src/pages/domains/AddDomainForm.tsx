import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { unwrap } from '../../api/client';
import { TextField } from '../../components/Field';
import { FormError } from '../../components/FormError';
import { compact, type FieldErrors, mergeErrors, required } from '../../components/form-errors';
import { useTenantMutation } from '../../session/tenant-query';

export function AddDomainForm() {
  const navigate = useNavigate();
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const add = useTenantMutation((api, name: string) => unwrap(api.POST('/v1/domains', { body: { name } })), [['domains']]);
  const errors = mergeErrors(clientErrors, add.error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = new FormData(event.currentTarget).get('name');
    const found = compact({ name: required(name, 'Enter the domain you send mail from, e.g. example.com.') });
    setClientErrors(found);
    if (Object.keys(found).length === 0) add.mutate(String(name).trim(), { onSuccess: (domain) => navigate(`/domains/${domain.id}`) });
  }

  return (
    <form onSubmit={submit} noValidate className="inline-form">
      <TextField label="Domain name" name="name" placeholder="example.com" autoComplete="off" spellCheck={false} error={errors.name} />
      <button type="submit" disabled={add.isPending}>
        {add.isPending ? 'Adding…' : 'Add domain'}
      </button>
      <FormError error={Object.keys(clientErrors).length === 0 ? add.error : null} />
    </form>
  );
}
