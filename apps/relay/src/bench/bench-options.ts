/** Benchmark settings from `--name=value` arguments or BENCH_* variables, each bounded. */
export interface BenchOptions {
  messages: number;
  runs: number;
  /** Connections to the peer: the worker's per-destination limit and smtp-source's session count. */
  connections: number;
  /** Jobs the worker processes at once (DELIVERY_CONCURRENCY). */
  concurrency: number;
  messageBytes: number;
  peers: ('postfix' | 'node')[];
  timeoutSeconds: number;
  logLevel: string;
  redisUrl: string;
  /** When set, the worker runs with `node --cpu-prof` and writes its profiles here. */
  cpuProfDir: string | undefined;
  /** Deliver through DELIVERY_RELAYHOST instead of MX lookups (no DNS per message). */
  relayhost: boolean;
}

const LIMITS = {
  messages: [1, 200_000, 20_000],
  runs: [1, 10, 3],
  connections: [1, 100, 20],
  concurrency: [1, 1000, 100],
  messageBytes: [256, 1_000_000, 1024],
  timeoutSeconds: [5, 1800, 300],
} as const;

type Numeric = keyof typeof LIMITS;

export function readOptions(argv: readonly string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const args = new Map<string, string>();
  for (const arg of argv) {
    const match = /^--([a-z-]+)=(.*)$/.exec(arg);
    if (!match) throw new Error(`unknown argument ${arg} (use --name=value)`);
    args.set(match[1] as string, match[2] as string);
  }
  const raw = (name: string): string | undefined => args.get(name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)) ?? env[`BENCH_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`];
  const numeric = (name: Numeric): number => {
    const [min, max, fallback] = LIMITS[name];
    const value = raw(name);
    if (value === undefined || value === '') return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) throw new Error(`${name} must be an integer from ${min} to ${max}, not ${value}`);
    return parsed;
  };
  const peers = (raw('peers') ?? 'postfix,node').split(',').map((peer) => peer.trim()).filter(Boolean);
  for (const peer of peers) if (peer !== 'postfix' && peer !== 'node') throw new Error(`peers: "${peer}" is not postfix or node`);
  return {
    messages: numeric('messages'),
    runs: numeric('runs'),
    connections: numeric('connections'),
    concurrency: numeric('concurrency'),
    messageBytes: numeric('messageBytes'),
    peers: peers as BenchOptions['peers'],
    timeoutSeconds: numeric('timeoutSeconds'),
    logLevel: raw('logLevel') ?? 'info',
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    cpuProfDir: raw('cpuProfDir') || undefined,
    relayhost: raw('relayhost') === '1' || raw('relayhost') === 'true',
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
