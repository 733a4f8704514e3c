const TONE: Record<string, string> = {
  ok: 'good', verified: 'good', active: 'good', delivered: 'good',
  pending: 'wait', queued: 'wait', deferred: 'wait', retiring: 'wait', partial: 'wait',
  missing: 'bad', mismatch: 'bad', failed: 'bad', bounced: 'bad', complained: 'bad', error: 'bad', suppressed: 'bad', disabled: 'off', retired: 'off',
  trialing: 'good', incomplete: 'wait', past_due: 'bad', unpaid: 'bad', canceled: 'off',
};

const WORDS: Record<string, string> = {
  ok: 'Found', missing: 'Not found', mismatch: 'Wrong value', error: 'Lookup failed', pending: 'Not checked yet',
};

/** A status in words (colour is only a second cue). `words` uses the DNS-record phrasing. */
export function Badge({ status, words = false }: { status: string; words?: boolean }) {
  return <span className={`badge badge-${TONE[status] ?? 'off'}`}>{words ? (WORDS[status] ?? status) : status.replace('_', ' ')}</span>;
}
