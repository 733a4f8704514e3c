/** Every BullMQ queue of the system. Names contain no ':' (BullMQ forbids it in queue names). */
export const QUEUE_NAMES = {
  /** Accepted messages waiting for a delivery worker. Job id = message id. */
  delivery: 'delivery',
  /** Relay and worker events for the API to ingest into Postgres. Job id = event id. */
  events: 'events',
} as const;

export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];
