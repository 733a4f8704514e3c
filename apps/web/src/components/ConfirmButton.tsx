import { useState } from 'react';

/** A destructive action that asks once, inline, before it runs (no modal to trap focus in). */
export function ConfirmButton({ label, question, onConfirm, disabled }: { label: string; question: string; onConfirm: () => void; disabled?: boolean }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="button-small button-danger" disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span className="small">{question}</span>
      <button type="button" className="button-small button-danger" autoFocus onClick={() => { setAsking(false); onConfirm(); }}>
        Yes, {label.toLowerCase()}
      </button>
      <button type="button" className="button-small" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
