import { useEffect, useState } from 'react';

async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) return navigator.clipboard.writeText(text);
  // Without the async clipboard API (insecure origins): the older selection-based copy.
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('copy refused');
}

/** "Copy" that says "Copied" (to screen readers too) and falls back to asking the user to select the text. */
export function CopyButton({ text, label = 'Copy', what }: { text: string; label?: string; what: string }) {
  const [result, setResult] = useState<'copied' | 'failed' | null>(null);
  useEffect(() => {
    if (!result) return;
    const timer = setTimeout(() => setResult(null), 2500);
    return () => clearTimeout(timer);
  }, [result]);
  return (
    <span className="copy">
      <button
        type="button"
        className="button-small"
        aria-label={`${label} ${what}`}
        onClick={() => copyText(text).then(() => setResult('copied'), () => setResult('failed'))}
      >
        {result === 'copied' ? 'Copied' : label}
      </button>
      <span role="status" className="visually-hidden">
        {result === 'copied' ? `${what} copied` : result === 'failed' ? 'Copy failed; select the text and copy it yourself.' : ''}
      </span>
    </span>
  );
}
