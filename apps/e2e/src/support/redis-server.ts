import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from '@smarthost/testkit';
import { Redis } from 'ioredis';

export const REDIS_SERVER_PATH = '/usr/bin/redis-server';

export interface PrivateRedis {
  url: string;
  dir: string;
  start(): Promise<void>;
  /** SIGKILL: no shutdown save, no AOF rewrite; only what was already written to disk survives. */
  kill(): Promise<void>;
  /** Kills it and removes its data directory. */
  destroy(): Promise<void>;
}

/**
 * A redis-server of the test's own, on a free port with its data in a temporary directory, started with the
 * production persistence settings of infra/redis (AOF on, no eviction, no RDB snapshots so the AOF is the only
 * copy) and `extraArgs`.
 */
export async function startPrivateRedis(extraArgs: string[] = []): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'smarthost-redis-'));
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--appendonly', 'yes',
    '--appendfsync', 'everysec',
    '--maxmemory-policy', 'noeviction',
    '--save', '',
    '--daemonize', 'no',
    ...extraArgs,
  ];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);
  const url = `redis://127.0.0.1:${port}`;

  const server: PrivateRedis = {
    url,
    dir,
    start: async () => {
      const started = spawn(REDIS_SERVER_PATH, args, { stdio: 'ignore' });
      child = started;
      exited = new Promise((resolve) => started.once('exit', () => resolve()));
      const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on('error', () => undefined); // refused until the server listens: that is what we wait for
      try {
        // PING answers only once the AOF has been loaded (before that Redis replies LOADING).
        await waitFor(async () => {
          if (started.exitCode !== null) throw new Error(`redis-server exited with ${started.exitCode}`);
          if (client.status !== 'ready') await client.connect().catch(() => undefined);
          return (await client.ping()) === 'PONG';
        }, { timeoutMs: 10_000, intervalMs: 50, description: `redis-server on port ${port}` });
      } finally {
        client.disconnect();
      }
    },
    kill: async () => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
    destroy: async () => {
      await server.kill();
      process.off('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
