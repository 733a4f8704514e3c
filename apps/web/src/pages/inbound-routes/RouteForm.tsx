import { type FormEvent, useState } from 'react';
import { unwrap } from '../../api/client';
import type { DomainSummary } from '../../api/types';
import { CheckboxField, SelectField, TextField } from '../../components/Field';
import { FormError } from '../../components/FormError';
import { compact, type FieldErrors, mergeErrors, required } from '../../components/form-errors';
import { useTenantMutation } from '../../session/tenant-query';

interface RouteBody {
  domainId: string;
  pattern: string;
  action: 'forward' | 'reject';
  host?: string;
  port?: number;
  requireTls: boolean;
}

export function RouteForm({ domains }: { domains: DomainSummary[] }) {
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [action, setAction] = useState<'forward' | 'reject'>('forward');
  const create = useTenantMutation((api, body: RouteBody) => unwrap(api.POST('/v1/inbound-routes', { body })), [['inbound-routes']]);
  const errors = mergeErrors(clientErrors, create.error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    const port = String(form.get('port') ?? '').trim();
    const found = compact({
      domainId: required(form.get('domainId'), 'Pick the domain this route is for.'),
      pattern: required(form.get('pattern'), "Enter a local part (the bit before @), or * for every address."),
      host: action === 'forward' ? required(form.get('host'), 'Enter the mail server to pass the mail to.') : undefined,
      port: port && !/^\d{1,5}$/.test(port) ? 'Enter a port number, e.g. 25.' : undefined,
    });
    setClientErrors(found);
    if (Object.keys(found).length > 0) return;
    const body: RouteBody = {
      domainId: String(form.get('domainId')),
      pattern: String(form.get('pattern')).trim(),
      action,
      requireTls: form.get('requireTls') === 'on',
      ...(action === 'forward' ? { host: String(form.get('host')).trim(), ...(port ? { port: Number(port) } : {}) } : {}),
    };
    create.mutate(body, { onSuccess: () => element.reset() });
  }

  return (
    <form onSubmit={submit} noValidate>
      <SelectField label="Domain" name="domainId" error={errors.domainId}>
        {domains.map((d) => <option key={d.id} value={d.id}>{d.unicodeName}</option>)}
      </SelectField>
      <TextField label="Address (local part)" name="pattern" placeholder="support or *" hint="The part before @. Use * to catch every address at the domain." error={errors.pattern} />
      <SelectField label="Action" name="action" value={action} onChange={(e) => setAction(e.target.value as 'forward' | 'reject')}>
        <option value="forward">Forward to my mail server</option>
        <option value="reject">Reject</option>
      </SelectField>
      {action === 'forward' && (
        <>
          <TextField label="Mail server host" name="host" placeholder="mx.internal.example.com" error={errors.host} />
          <TextField label="Port (optional)" name="port" inputMode="numeric" placeholder="25" error={errors.port} />
          <CheckboxField label="Require TLS to my server" name="requireTls" defaultChecked />
        </>
      )}
      <FormError error={Object.keys(clientErrors).length === 0 ? create.error : null} />
      <button type="submit" disabled={create.isPending}>Add route</button>
    </form>
  );
}
