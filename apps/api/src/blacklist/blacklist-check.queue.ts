/** Queue of the scheduled blocklist sweep; BullMQ keys live under config REDIS_PREFIX. */
export const BLACKLIST_CHECK_QUEUE = 'blacklist-check';

/** One scheduler for the whole deployment: every API process upserts the same id, so there is never a second one. */
export const BLACKLIST_CHECK_SCHEDULER_ID = 'blacklist-check-sweep';

export const BLACKLIST_SWEEP_JOB = 'sweep';
