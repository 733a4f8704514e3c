import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort, testDatabase, type TestDatabase, waitFor } from '@smarthost/testkit';
import { ROOT } from './stack';
import { type PrivateRedis, startPrivateRedis } from './support/redis-server';

interface LogEntry {
  level: number;
  msg: string;
  req?: { url: string };
}

/**
 * Issue 14: the demo prints readable lines (tools/lib/demo-log.mjs does that to the apps' output); the apps
 * themselves, started with the production configuration, write one JSON object per line for the log pipeline,
 * and at the default level leave out what runs on a timer.
 */
describe('logs in production (issue 14)', () => {
  let redis: PrivateRedis;
  let db: TestDatabase;
  let api: ChildProcess;
  let apiUrl: string;
  const stdout: string[] = [];

  before(async () => {
    // Production refuses a Redis without AOF and noeviction: a private one with the production settings.
    redis = await startPrivateRedis();
    db = await testDatabase();
    const port = await freePort();
    apiUrl = `http://127.0.0.1:${port}`;
    api = spawn(process.execPath, [join(ROOT, 'apps/api/dist/main.js')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        NODE_ENV: 'production',
        // Production refuses session cookies without Secure; the test talks plain HTTP but sends no cookie.
        COOKIE_SECURE: 'true',
        API_HOST: '127.0.0.1',
        API_PORT: String(port),
        PUBLIC_URL: apiUrl,
        DATABASE_URL: db.url,
        REDIS_URL: redis.url,
        SESSION_SECRET: randomBytes(32).toString('hex'),
        DKIM_MASTER_KEY: randomBytes(32).toString('hex'),
        WORKERS: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffered = '';
    api.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      stdout.push(...lines.filter((line) => line.trim() !== ''));
    });
    let stderr = '';
    api.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    await waitFor(() => {
      if (api.exitCode !== null) throw new Error(`api exited: ${stderr}`);
      return stdout.some((line) => line.includes('"api listening"'));
    }, { timeoutMs: 60_000, intervalMs: 100, description: 'the production API listening' });
  });
  after(async () => {
    if (api && api.exitCode === null) {
      const exited = new Promise((resolve) => api.once('exit', resolve));
      api.kill('SIGTERM');
      await exited;
    }
    await db?.drop();
    await redis?.destroy();
  });

  it('writes JSON lines, with requests at info and health checks left out', async () => {
    assert.equal((await fetch(`${apiUrl}/healthz`)).status, 200);
    assert.equal((await fetch(`${apiUrl}/v1/no-such-thing`)).status, 404);
    await waitFor(() => stdout.some((line) => line.includes('/v1/no-such-thing')), { timeoutMs: 10_000, description: 'the request line' });
    const entries = stdout.map((line) => JSON.parse(line) as LogEntry);
    for (const entry of entries) assert.equal(typeof entry.level, 'number', JSON.stringify(entry));
    assert.ok(entries.some((entry) => entry.req?.url === '/v1/no-such-thing' && entry.level === 30));
    assert.ok(!entries.some((entry) => entry.req?.url === '/healthz'), 'a health check is a debug line');
  });
});
