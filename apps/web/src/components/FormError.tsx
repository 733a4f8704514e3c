import { formMessage } from './form-errors';

/** The form-level result of a failed submit, announced to screen readers as soon as it appears. */
export function FormError({ error }: { error: unknown }) {
  const shown = formMessage(error);
  return (
    <div role="alert" className={shown ? 'alert alert-error' : undefined}>
      {shown && (
        <>
          <p>{shown.message}</p>
          {shown.reference && <p className="muted small">Reference: {shown.reference}</p>}
        </>
      )}
    </div>
  );
}
