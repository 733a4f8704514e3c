import { Job, type JobsOptions, type Queue, type RedisClient } from 'bullmq';

export interface JobToAdd {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- queues of every payload type
  queue: Queue<any>;
  name: string;
  data: unknown;
  /** Always an explicit id: a retried add must not create a second job. */
  opts: JobsOptions & { jobId: string };
}

/**
 * Adds one job with BullMQ's own add script, with the queue's default job options as `queue.add` applies them,
 * and writes the command to `client`'s socket before it returns: nothing is awaited first. A caller that must
 * have the add on the wire in this turn of the event loop (EventWriter, writing at the turn's end into sockets
 * that are about to be flushed) relies on that; `queue.add` awaits the connection first and would write in a later
 * microtask. `client` is the queue's resolved connection (`await queue.backend.client`), which has BullMQ's scripts.
 */
export function addJobOn(client: RedisClient, { queue, name, data, opts }: JobToAdd): Promise<string> {
  return new Job(queue, name, data, { ...queue.defaultJobOptions, ...opts }, opts.jobId).addJob(client);
}
