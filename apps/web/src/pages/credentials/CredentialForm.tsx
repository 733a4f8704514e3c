import { type FormEvent, useState } from 'react';
import type { Credential, CredentialBody, DomainSummary } from '../../api/types';
import { CheckboxField, TextAreaField, TextField } from '../../components/Field';
import { FormError } from '../../components/FormError';
import { compact, type FieldErrors, mergeErrors, required } from '../../components/form-errors';

export type CredentialInput = Required<Pick<CredentialBody, 'name' | 'allDomains' | 'domainIds' | 'allowedSenders' | 'ipAllowlist' | 'ratePerMinute'>>;

const lines = (value: FormDataEntryValue | null) =>
  String(value ?? '')
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter(Boolean);

export function readCredentialForm(form: FormData): { input: CredentialInput; errors: FieldErrors } {
  const allDomains = form.get('allDomains') === 'on';
  const domainIds = form.getAll('domainIds').map(String);
  const rate = String(form.get('ratePerMinute') ?? '').trim();
  const ratePerMinute = rate ? Number(rate) : null;
  const errors = compact({
    name: required(form.get('name'), 'Name the credential after the app or server that will use it.'),
    domainIds: !allDomains && domainIds.length === 0 ? 'Pick at least one domain, or allow all domains.' : undefined,
    ratePerMinute: ratePerMinute !== null && !(Number.isInteger(ratePerMinute) && ratePerMinute >= 1) ? 'Enter a whole number of messages a minute, or leave it empty.' : undefined,
  });
  return {
    input: { name: String(form.get('name') ?? '').trim(), allDomains, domainIds: allDomains ? [] : domainIds, allowedSenders: lines(form.get('allowedSenders')), ipAllowlist: lines(form.get('ipAllowlist')), ratePerMinute },
    errors,
  };
}

/** Create and edit share this form: the name, which domains and senders it may use, and where it may connect from. */
export function CredentialForm({ domains, initial, submitLabel, pending, error, onSubmit }: {
  domains: DomainSummary[];
  initial?: Credential;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (input: CredentialInput) => void;
}) {
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [allDomains, setAllDomains] = useState(initial?.allDomains ?? true);
  const errors = mergeErrors(clientErrors, error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const { input, errors: found } = readCredentialForm(new FormData(event.currentTarget));
    setClientErrors(found);
    if (Object.keys(found).length === 0) onSubmit(input);
  }

  return (
    <form onSubmit={submit} noValidate>
      <TextField label="Name" name="name" defaultValue={initial?.name} placeholder="billing-app production" error={errors.name} />
      <CheckboxField label="May send from all verified domains" name="allDomains" checked={allDomains} onChange={(e) => setAllDomains(e.target.checked)} />
      {!allDomains && (
        <fieldset className="field" aria-describedby={errors.domainIds ? 'domain-ids-error' : undefined}>
          <legend>Domains it may send from</legend>
          {domains.length === 0 && <p className="muted small">You have no domains yet. Add one on the Domains page first.</p>}
          {domains.map((domain) => (
            <CheckboxField key={domain.id} label={domain.unicodeName} name="domainIds" value={domain.id} defaultChecked={initial?.domainIds.includes(domain.id)} />
          ))}
          {errors.domainIds && <p className="field-error" id="domain-ids-error">{errors.domainIds}</p>}
        </fieldset>
      )}
      <TextAreaField label="Allowed sender addresses (optional)" name="allowedSenders" defaultValue={initial?.allowedSenders.join('\n')} hint="One per line. Empty: any address at its domains." error={errors.allowedSenders} />
      <TextAreaField label="IP allowlist (optional)" name="ipAllowlist" defaultValue={initial?.ipAllowlist.join('\n')} hint="Addresses or CIDR blocks, one per line, e.g. 203.0.113.0/24. Empty: any address (the password is still required)." error={errors.ipAllowlist} />
      <TextField label="Rate limit per minute (optional)" name="ratePerMinute" inputMode="numeric" defaultValue={initial?.ratePerMinute ?? ''} error={errors.ratePerMinute} />
      <FormError error={Object.keys(clientErrors).length === 0 ? error : null} />
      <button type="submit" disabled={pending}>
        {pending ? 'Saving…' : submitLabel}
      </button>
    </form>
  );
}
