import type { FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { SelectField, TextField } from '../../components/Field';

export const FILTERS = ['recipient', 'sender', 'status', 'direction', 'messageId', 'from', 'to'] as const;
const STATUSES = ['queued', 'delivered', 'deferred', 'bounced', 'partial', 'failed'];

/** Filters live in the URL, so a search can be bookmarked and shared with a colleague. */
export function MessageFilters({ errors }: { errors: Record<string, string> }) {
  const [params, setParams] = useSearchParams();
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const name of FILTERS) {
      const value = String(form.get(name) ?? '').trim();
      if (value) next.set(name, value);
    }
    setParams(next);
  }
  return (
    <form role="search" aria-label="Filter messages" onSubmit={submit} className="filters" key={params.toString()}>
      <TextField label="Recipient" name="recipient" type="email" defaultValue={params.get('recipient') ?? ''} error={errors.recipient} />
      <TextField label="Sender" name="sender" type="email" defaultValue={params.get('sender') ?? ''} error={errors.sender} />
      <SelectField label="Status" name="status" defaultValue={params.get('status') ?? ''}>
        <option value="">Any</option>
        {STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
      </SelectField>
      <SelectField label="Direction" name="direction" defaultValue={params.get('direction') ?? ''}>
        <option value="">Both</option>
        <option value="outbound">Outbound</option>
        <option value="inbound">Inbound</option>
      </SelectField>
      <TextField label="Message id" name="messageId" defaultValue={params.get('messageId') ?? ''} spellCheck={false} error={errors.messageId} />
      <TextField label="From" name="from" type="datetime-local" defaultValue={params.get('from') ?? ''} error={errors.from} />
      <TextField label="To" name="to" type="datetime-local" defaultValue={params.get('to') ?? ''} error={errors.to} />
      <div className="filter-actions">
        <button type="submit">Search</button>
        <button type="button" className="button-secondary" onClick={() => setParams(new URLSearchParams())}>Clear</button>
      </div>
    </form>
  );
}
