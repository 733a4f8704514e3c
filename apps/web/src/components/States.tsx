import type { ReactNode } from 'react';
import { ApiError } from '../api/api-error';

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" className="loading">
      Loading {what}…
    </p>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children && <div className="muted">{children}</div>}
    </div>
  );
}

export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const message = error instanceof ApiError ? error.message : 'Something went wrong while loading.';
  return (
    <div role="alert" className="alert alert-error">
      <p>{message}</p>
      {retry && (
        <button type="button" className="button-secondary" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

/**
 * A polite live region: results of actions (saved, verified, copied) are read out without moving focus. Green only
 * for success: a result that leaves work to do is `warn`.
 */
export function LiveStatus({ message, tone = 'ok' }: { message: string | null; tone?: 'ok' | 'warn' }) {
  return (
    <p role="status" aria-live="polite" className={message ? `alert alert-${tone}` : 'visually-hidden'}>
      {message ?? ''}
    </p>
  );
}
