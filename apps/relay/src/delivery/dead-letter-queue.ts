import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
// Not yet re-exported by libs/queues/src/index.ts; switch to '@smarthost/queues' once it is.
import { DEAD_LETTER_QUEUE_NAME, parseDeadLetter, type DeadLetter } from '@smarthost/queues';

export interface DeadLetterFacts {
  sourceQueue: string;
  sourceJobId: string;
  reason: string;
  attempts: number;
  payload: unknown;
}

/** Parks jobs that must not be retried, with the reason, under their original job id (idempotent). */
export class DeadLetterQueue {
  readonly queue: Queue<DeadLetter>;

  constructor(connection: Redis, prefix: string) {
    this.queue = new Queue<DeadLetter>(DEAD_LETTER_QUEUE_NAME, { connection, prefix, skipWaitingForReady: true });
  }

  async add(facts: DeadLetterFacts): Promise<void> {
    const letter = parseDeadLetter({ ...facts, reason: facts.reason.slice(0, 2000), deadLetteredAt: new Date().toISOString() });
    await this.queue.add('dead-letter', letter, { jobId: facts.sourceJobId });
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
