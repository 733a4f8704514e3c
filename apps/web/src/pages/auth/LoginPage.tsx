import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { ApiError } from '../../api/api-error';
import { unwrap } from '../../api/client';
import { TextField } from '../../components/Field';
import { FormError } from '../../components/FormError';
import { compact, type FieldErrors, mergeErrors, required } from '../../components/form-errors';
import { useSession } from '../../session/session-context';
import { AuthLayout } from './AuthLayout';

export function LoginPage() {
  const { api, signedIn } = useSession();
  const location = useLocation();
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const login = useMutation({
    mutationFn: (body: { email: string; password: string }) => unwrap(api.POST('/v1/auth/login', { body })),
    onSuccess: signedIn,
  });
  const errors = mergeErrors(clientErrors, login.error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const found = compact({ email: required(form.get('email'), 'Enter your email address.'), password: required(form.get('password'), 'Enter your password.') });
    setClientErrors(found);
    if (Object.keys(found).length === 0) login.mutate({ email: String(form.get('email')).trim(), password: String(form.get('password')) });
  }

  return (
    <AuthLayout title="Log in">
      <form onSubmit={submit} noValidate>
        <TextField label="Email" name="email" type="email" autoComplete="email" error={errors.email} />
        <TextField label="Password" name="password" type="password" autoComplete="current-password" error={errors.password} />
        <FormError error={login.error && Object.keys(clientErrors).length === 0 ? wrongPassword(login.error) : null} />
        <button type="submit" disabled={login.isPending}>
          {login.isPending ? 'Logging in…' : 'Log in'}
        </button>
      </form>
      <p className="muted">
        New here? <Link to="/signup" state={location.state}>Create an account</Link>
      </p>
    </AuthLayout>
  );
}

/** A 401 on the log-in form means the email or password is wrong, not that a session ended. */
function wrongPassword(error: Error): Error {
  if (error instanceof ApiError && error.status === 401) return new ApiError(401, error.code, 'That email and password do not match an account.');
  return error;
}
