import { type ReactNode, useEffect, useId, useRef } from 'react';
import { CopyButton } from './CopyButton';

/**
 * A secret the server will never show again (SMTP password, API key, invitation link). It takes focus when it
 * appears so keyboard and screen-reader users land on it, and stays until the user says it is saved.
 */
export function SecretOnce({ title, label, secret, onDone, children }: { title: string; label: string; secret: string; onDone: () => void; children?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const id = useId();
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="card secret" aria-labelledby="secret-title">
      <h2 id="secret-title" ref={heading} tabIndex={-1}>
        {title}
      </h2>
      <p className="alert alert-warn">This is the only time it is shown. Copy it now and keep it somewhere safe; if it is lost, rotate it.</p>
      <div className="secret-value">
        <label htmlFor={id}>{label}</label>
        <input id={id} className="secret-input" readOnly value={secret} spellCheck={false} onFocus={(event) => event.target.select()} />
        <CopyButton text={secret} what={label} />
      </div>
      {children}
      <button type="button" onClick={onDone}>
        I have saved it
      </button>
    </section>
  );
}
