import { parseEventJob, type RelayEvent } from '@smarthost/queues';

/** The events of one events job as the ingest reads them; an event it would drop as invalid fails the caller. */
export function storedEvents(data: unknown): RelayEvent[] {
  const { events, invalid } = parseEventJob(data);
  if (invalid.length > 0) throw new Error(`an events job holds events the ingest would drop: ${invalid.join('; ')}`);
  return events;
}
