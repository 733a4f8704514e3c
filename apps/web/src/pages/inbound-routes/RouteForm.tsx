import { type FormEvent, useState } from 'react';
import type { DomainSummary, InboundRoute } from '../../api/types';
import { SelectField, TextField } from '../../components/Field';
import { FormError } from '../../components/FormError';
import { compact, type FieldErrors, mergeErrors, required } from '../../components/form-errors';

/** What the form edits; a route's domain is chosen when it is created and never changes. */
export interface RouteInput {
  pattern: string;
  action: 'forward' | 'reject';
  host: string | null;
  port: number | null;
  /** Forward routes only; a reject keeps whatever it had. */
  tlsMode?: TlsMode;
}

export type TlsMode = InboundRoute['tlsMode'];

/** How each TLS mode reads, in the form and in the route list. */
export const TLS_MODES: Record<TlsMode, { option: string; short: string }> = {
  require_verified: { option: 'Require TLS, verify the certificate', short: 'TLS, certificate verified' },
  require_unverified: { option: 'Encrypt, do not verify (self-signed)', short: 'TLS, certificate not verified' },
  opportunistic: { option: 'TLS when offered, else plain text', short: 'TLS when offered' },
};

export function readRouteForm(form: FormData, action: RouteInput['action']): { input: RouteInput; errors: FieldErrors } {
  const port = String(form.get('port') ?? '').trim();
  const forward = action === 'forward';
  const errors = compact({
    pattern: required(form.get('pattern'), 'Enter a local part (the bit before @), or * for every address.'),
    host: forward ? required(form.get('host'), 'Enter the mail server to pass the mail to.') : undefined,
    port: forward && port && !/^\d{1,5}$/.test(port) ? 'Enter a port number, e.g. 25.' : undefined,
  });
  return {
    input: {
      pattern: String(form.get('pattern') ?? '').trim(),
      action,
      host: forward ? String(form.get('host') ?? '').trim() : null,
      port: forward && port ? Number(port) : null,
      ...(forward ? { tlsMode: String(form.get('tlsMode')) as TlsMode } : {}),
    },
    errors,
  };
}

/**
 * Create and edit share this form. With `domains` it asks for the domain (create); without, it edits `initial`.
 * `onSubmit` gets the domain id too when one was picked.
 */
export function RouteForm({ domains, initial, submitLabel, pending, error, onSubmit }: {
  domains?: DomainSummary[];
  initial?: InboundRoute;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (input: RouteInput, domainId: string | undefined, form: HTMLFormElement) => void;
}) {
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [action, setAction] = useState<RouteInput['action']>(initial?.action ?? 'forward');
  const errors = mergeErrors(clientErrors, error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    const { input, errors: found } = readRouteForm(form, action);
    const domainId = domains ? String(form.get('domainId') ?? '') : undefined;
    if (domains && !domainId) found.domainId = 'Pick the domain this route is for.';
    setClientErrors(found);
    if (Object.keys(found).length === 0) onSubmit(input, domainId, element);
  }

  return (
    <form onSubmit={submit} noValidate>
      {domains && (
        <SelectField label="Domain" name="domainId" error={errors.domainId}>
          {domains.map((d) => <option key={d.id} value={d.id}>{d.unicodeName}</option>)}
        </SelectField>
      )}
      <TextField label="Address (local part)" name="pattern" defaultValue={initial?.pattern} placeholder="support or *" hint="The part before @. Use * to catch every address at the domain." error={errors.pattern} />
      <SelectField label="Action" name="action" value={action} onChange={(e) => setAction(e.target.value as RouteInput['action'])}>
        <option value="forward">Forward to my mail server</option>
        <option value="reject">Reject</option>
      </SelectField>
      {action === 'forward' && (
        <>
          <TextField
            label="Mail server host"
            name="host"
            defaultValue={initial?.host ?? ''}
            placeholder="mail.example.com"
            hint="A host name or public IP address the relay can reach over the internet; private and internal addresses are refused."
            error={errors.host}
          />
          <TextField label="Port (optional)" name="port" inputMode="numeric" defaultValue={initial?.port ?? ''} placeholder="25" error={errors.port} />
          <SelectField
            label="TLS to my server"
            name="tlsMode"
            defaultValue={initial?.tlsMode ?? 'require_verified'}
            hint="Verify (recommended): mail goes only to a server whose certificate, from a trusted authority, names this host. Encrypt, do not verify: for a self-signed certificate; still encrypted, but whoever can intercept the connection could receive the mail. With either, mail waits rather than go out in plain text."
            error={errors.tlsMode}
          >
            {(Object.keys(TLS_MODES) as TlsMode[]).map((mode) => <option key={mode} value={mode}>{TLS_MODES[mode].option}</option>)}
          </SelectField>
        </>
      )}
      <FormError error={Object.keys(clientErrors).length === 0 ? error : null} />
      <button type="submit" disabled={pending}>{pending ? 'Saving…' : submitLabel}</button>
    </form>
  );
}
