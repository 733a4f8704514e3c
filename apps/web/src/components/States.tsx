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

/** A polite live region: results of actions (saved, verified, copied) are read out without moving focus. */
export function LiveStatus({ message }: { message: string | null }) {
  return (
    <p role="status" aria-live="polite" className={message ? 'alert alert-ok' : 'visually-hidden'}>
      {message ?? ''}
    </p>
  );
}
