import type { Redis } from 'ioredis';

/**
 * A `250` promises the message is stored; Redis only keeps that promise with the append-only file on and eviction
 * off (an evicted job is a lost message). Returns what is wrong, so a production process can refuse to start.
 */
export async function redisDurabilityProblems(redis: Redis): Promise<string[]> {
  let settings: Record<string, string>;
  try {
    const [aof, policy] = await Promise.all([redis.config('GET', 'appendonly'), redis.config('GET', 'maxmemory-policy')]);
    settings = { ...pairs(aof as string[]), ...pairs(policy as string[]) };
  } catch (error) {
    return [`cannot read Redis settings (CONFIG GET): ${error instanceof Error ? error.message : String(error)}`];
  }
  const problems: string[] = [];
  if (settings['appendonly'] !== 'yes') problems.push(`appendonly is "${settings['appendonly']}", must be "yes"`);
  if (settings['maxmemory-policy'] !== 'noeviction') {
    problems.push(`maxmemory-policy is "${settings['maxmemory-policy']}", must be "noeviction"`);
  }
  return problems;
}

function pairs(flat: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i] as string] = flat[i + 1] as string;
  return out;
}

export class RedisNotDurableError extends Error {
  constructor(readonly problems: string[]) {
    super(`Redis is not safe for queued mail: ${problems.join('; ')} (see infra/redis/redis.conf)`);
    this.name = 'RedisNotDurableError';
  }
}

export async function assertDurableRedis(redis: Redis): Promise<void> {
  const problems = await redisDurabilityProblems(redis);
  if (problems.length > 0) throw new RedisNotDurableError(problems);
}
