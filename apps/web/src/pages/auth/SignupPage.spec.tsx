import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { anonymous, apiError, json, TENANT_A, USER } from '../../test/fake-api';
import { renderApp } from '../../test/render-app';

afterEach(cleanup);

function fill(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

/** The field's error is tied to the input, so screen readers read it with the field. */
function errorOf(label: string): string | null {
  const input = screen.getByLabelText(label);
  const ids = input.getAttribute('aria-describedby')?.split(' ') ?? [];
  return ids.map((id) => document.getElementById(id)).find((el) => el?.className === 'field-error')?.textContent ?? null;
}

describe('sign-up', () => {
  it('says what is missing next to each field before calling the server', async () => {
    const app = renderApp('/signup', anonymous);
    fireEvent.click(await screen.findByRole('button', { name: 'Create account' }));
    expect(errorOf('Your name')).toBe('Enter your name.');
    expect(errorOf('Email')).toBe('Enter your email address.');
    expect(errorOf('Password')).toBe('Choose a password.');
    expect(screen.getByLabelText('Email').getAttribute('aria-invalid')).toBe('true');
    expect(app.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('shows the server’s field messages next to the fields they are about', async () => {
    renderApp('/signup', {
      ...anonymous,
      'POST /v1/auth/signup': () =>
        apiError(400, 'validation_failed', 'body.email: must be an email address', [
          { field: 'body.email', message: 'must be an email address' },
          { field: 'body.password', message: 'must not repeat a single character' },
        ]),
    });
    fill(await screen.findByLabelText('Your name').then(() => 'Your name'), 'Olivia');
    fill('Email', 'olivia@');
    fill('Password', 'aaaaaaaaaaaaaaa');
    fill('Team or company name', 'Shop');
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    await waitFor(() => expect(errorOf('Email')).toBe('Must be an email address'));
    expect(errorOf('Password')).toBe('Must not repeat a single character');
    expect(screen.getByRole('alert').textContent).toContain('Some fields need attention');
  });

  it('signs the new account in and opens its overview', async () => {
    renderApp('/signup', {
      ...anonymous,
      'POST /v1/auth/signup': () => json({ user: USER, tenants: [TENANT_A], csrfToken: 'c' }, 201),
      'GET /v1/tenant': () => apiError(503, 'unavailable', 'x'),
      'GET /v1/domains': () => json({ items: [], nextCursor: null }),
      'GET /v1/stats': () => apiError(503, 'unavailable', 'x'),
    });
    fill(await screen.findByLabelText('Your name').then(() => 'Your name'), 'Olivia');
    fill('Email', 'olivia@shop.example');
    fill('Password', 'correct horse battery');
    fill('Team or company name', 'Shop');
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Overview' })).toBeTruthy();
    expect(await screen.findByRole('link', { name: 'add the domain you send from' })).toBeTruthy();
  });
});

describe('log-in', () => {
  it('says the email or password is wrong rather than that a session ended', async () => {
    renderApp('/login', { ...anonymous, 'POST /v1/auth/login': () => apiError(401, 'unauthenticated', 'invalid email or password') });
    fill(await screen.findByLabelText('Email').then(() => 'Email'), 'olivia@shop.example');
    fill('Password', 'not my password');
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    expect((await screen.findByRole('alert')).textContent).toContain('That email and password do not match an account.');
  });
});
