import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { send } from '../../api/client';
import { TextField } from '../../components/Field';
import { FormError } from '../../components/FormError';
import { compact, type FieldErrors, mergeErrors, required } from '../../components/form-errors';
import { LiveStatus } from '../../components/States';
import { useSession } from '../../session/session-context';
import { passwordProblem } from '../auth/SignupPage';

export function PasswordForm() {
  const { api } = useSession();
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState<string | null>(null);
  const change = useMutation({ mutationFn: (body: { currentPassword: string; newPassword: string }) => send(api.POST('/v1/auth/password', { body })) });
  const errors = mergeErrors(clientErrors, change.error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    const found = compact({
      currentPassword: required(form.get('currentPassword'), 'Enter your current password.'),
      newPassword: passwordProblem(form.get('newPassword')),
      confirm: form.get('confirm') !== form.get('newPassword') ? 'The two new passwords differ.' : undefined,
    });
    setClientErrors(found);
    setSaved(null);
    if (Object.keys(found).length > 0) return;
    change.mutate(
      { currentPassword: String(form.get('currentPassword')), newPassword: String(form.get('newPassword')) },
      { onSuccess: () => { setSaved('Password changed. Your other sessions were logged out.'); element.reset(); } },
    );
  }

  return (
    <form onSubmit={submit} noValidate>
      <TextField label="Current password" name="currentPassword" type="password" autoComplete="current-password" error={errors.currentPassword} />
      <TextField label="New password" name="newPassword" type="password" autoComplete="new-password" hint="At least 12 characters." error={errors.newPassword} />
      <TextField label="New password again" name="confirm" type="password" autoComplete="new-password" error={errors.confirm} />
      <FormError error={Object.keys(clientErrors).length === 0 ? change.error : null} />
      <button type="submit" disabled={change.isPending}>Change password</button>
      <LiveStatus message={saved} />
    </form>
  );
}
