import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { unwrap } from '../../api/client';
import { TextField } from '../../components/Field';
import { FormError } from '../../components/FormError';
import { compact, type FieldErrors, mergeErrors, required } from '../../components/form-errors';
import { useSession } from '../../session/session-context';
import { AuthLayout } from './AuthLayout';

type SignupBody = { email: string; password: string; name: string; tenantName: string };

export const MIN_PASSWORD = 12;

export function passwordProblem(value: FormDataEntryValue | null): string | undefined {
  const text = typeof value === 'string' ? value : '';
  if (!text) return 'Choose a password.';
  if (text.length < MIN_PASSWORD) return `Use at least ${MIN_PASSWORD} characters.`;
  return undefined;
}

export function SignupPage() {
  const { api, signedIn } = useSession();
  const location = useLocation();
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const signup = useMutation({
    mutationFn: (body: SignupBody) => unwrap(api.POST('/v1/auth/signup', { body })),
    onSuccess: signedIn,
  });
  const errors = mergeErrors(clientErrors, signup.error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const found = compact({
      name: required(form.get('name'), 'Enter your name.'),
      email: required(form.get('email'), 'Enter your email address.'),
      password: passwordProblem(form.get('password')),
      tenantName: required(form.get('tenantName'), 'Name your team or company.'),
    });
    setClientErrors(found);
    if (Object.keys(found).length > 0) return;
    signup.mutate({
      name: String(form.get('name')).trim(),
      email: String(form.get('email')).trim(),
      password: String(form.get('password')),
      tenantName: String(form.get('tenantName')).trim(),
    });
  }

  return (
    <AuthLayout title="Create your account">
      <form onSubmit={submit} noValidate>
        <TextField label="Your name" name="name" autoComplete="name" error={errors.name} />
        <TextField label="Email" name="email" type="email" autoComplete="email" error={errors.email} />
        <TextField label="Password" name="password" type="password" autoComplete="new-password" hint={`At least ${MIN_PASSWORD} characters.`} error={errors.password} />
        <TextField label="Team or company name" name="tenantName" autoComplete="organization" hint="You can invite colleagues to it later." error={errors.tenantName} />
        <FormError error={Object.keys(clientErrors).length === 0 ? signup.error : null} />
        <button type="submit" disabled={signup.isPending}>
          {signup.isPending ? 'Creating account…' : 'Create account'}
        </button>
      </form>
      <p className="muted">
        Already have an account? <Link to="/login" state={location.state}>Log in</Link>
      </p>
    </AuthLayout>
  );
}
