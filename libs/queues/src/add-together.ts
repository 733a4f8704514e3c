import { Job, type JobsOptions, type Queue } from 'bullmq';

export interface TogetherJob {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- queues of different payload types share one round trip
  queue: Queue<any>;
  name: string;
  data: unknown;
  /** Always an explicit id: a retried add must not create second jobs. */
  opts: JobsOptions & { jobId: string };
}

export type TogetherJobResult = { ok: true; id: string } | { ok: false; error: Error };

/**
 * Adds jobs to one or more queues in ONE Redis round trip: every add script (BullMQ's own, with the queue's default
 * job options, exactly as `queue.add` runs it) is written to the one connection the queues share in the same tick,
 * so Redis runs them back to back in this order and the replies come back together. Settles once every reply is in;
 * the result is per job, in order, and the caller decides what each failure means.
 *
 * Not a MULTI/EXEC: with ioredis every transaction object copies all of BullMQ's ~50 script commands onto itself,
 * which measured costlier per message than the round trip it saves. Nothing here needs the all-or-nothing of a
 * transaction: Redis refuses writes (OOM, read-only replica) for every add alike, and a lost connection leaves the
 * caller unsure either way (job ids make a retry harmless).
 *
 * Every queue must use the same Redis connection object (checked): that is what makes it one round trip and keeps
 * the order.
 */
export async function addJobsTogether(jobs: readonly TogetherJob[]): Promise<TogetherJobResult[]> {
  const first = jobs[0];
  if (first === undefined) return [];
  const client = await first.queue.backend.client;
  for (const { queue } of jobs) {
    // Awaiting each queue's client also waits until that queue has loaded its scripts on the connection.
    if ((await queue.backend.client) !== client) throw new Error('addJobsTogether: all queues must share one Redis connection');
  }
  // No await between the adds: each script is written to the socket as it is created, all within this tick.
  const adds = jobs.map(({ queue, name, data, opts }) => new Job(queue, name, data, { ...queue.defaultJobOptions, ...opts }, opts.jobId).addJob(client));
  const settled = await Promise.allSettled(adds);
  return settled.map((outcome) =>
    outcome.status === 'fulfilled'
      ? { ok: true, id: String(outcome.value) }
      : { ok: false, error: outcome.reason instanceof Error ? outcome.reason : new Error(String(outcome.reason)) },
  );
}
