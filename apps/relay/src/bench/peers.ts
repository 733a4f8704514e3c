import { spawn, fork, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@smarthost/testkit';

/** A loopback SMTP server that accepts and discards: what the worker and smtp-source deliver to. */
export interface Peer {
  name: string;
  port: number;
  /** Messages it received, when it can tell (the Postfix sink cannot). */
  stats(): Promise<{ received: number; signed: number } | undefined>;
  /** CPU time (user + system) the peer process used so far, in ms. */
  cpuMs(): number | undefined;
  close(): Promise<void>;
}

const POSTFIX_DIRS = ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin'];

/** Path of a Postfix test program (`smtp-sink`, `smtp-source`), or undefined when Postfix is not installed. */
export function postfixTool(name: 'smtp-sink' | 'smtp-source'): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(':').filter(Boolean), ...POSTFIX_DIRS]) {
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // next directory
    }
  }
  return undefined;
}

export const POSTFIX_INSTALL_HINT = 'install it with: sudo bash tools/bench/install-postfix.sh  (Debian package "postfix"; no daemon is left running)';

function waitForListening(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) return reject(new Error(`peer exited with code ${child.exitCode} before listening`));
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

function stopChild(child: ChildProcess, timeoutMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Postfix `smtp-sink` on a free loopback port (as root it must drop privileges: `-u nobody`). */
export async function startPostfixSink(): Promise<Peer> {
  const binary = postfixTool('smtp-sink');
  if (!binary) throw new Error('smtp-sink not found');
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  // Backlog 1024: smtp-source and the worker open their sessions at once.
  const child = spawn(binary, [...(asRoot ? ['-u', 'nobody'] : []), `127.0.0.1:${port}`, '1024'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  try {
    await waitForListening(port, child, 5000);
  } catch (error) {
    await stopChild(child);
    throw new Error(`smtp-sink did not start: ${error instanceof Error ? error.message : String(error)} ${stderr.trim()}`);
  }
  return { name: 'postfix smtp-sink', port, stats: async () => undefined, cpuMs: () => processCpuMs(child.pid), close: () => stopChild(child) };
}

/** A bare node `smtp-server` that accepts and discards, in its own process (dist/bench/node-sink.js). */
export async function startNodeSink(): Promise<Peer> {
  const child = fork(join(__dirname, 'node-sink.js'), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('node sink did not start within 10 s')), 10_000);
    child.once('exit', (code) => reject(new Error(`node sink exited with code ${code}`)));
    child.once('message', (message: { type?: string; port?: number }) => {
      clearTimeout(timer);
      if (message.type === 'ready' && message.port) resolve(message.port);
      else reject(new Error('node sink sent no port'));
    });
  });
  const request = (type: 'stats' | 'reset') =>
    new Promise<{ received: number; signed: number }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('node sink did not answer')), 5000);
      child.once('message', (message: { received: number; signed: number }) => {
        clearTimeout(timer);
        resolve(message);
      });
      child.send({ type });
    });
  return {
    name: 'node smtp-server sink',
    port,
    stats: () => request('stats'),
    cpuMs: () => processCpuMs(child.pid),
    close: () => {
      child.disconnect();
      return stopChild(child);
    },
  };
}

export interface SourceResult {
  messages: number;
  seconds: number;
  ok: boolean;
  detail: string;
}

/**
 * Postfix `smtp-source` pushing `messages` copies of the message in `file` (LF line ends; smtp-source sends
 * CRLF) over `sessions` persistent connections (`-d`): the peer's ceiling for this message and connection count.
 */
export async function runSmtpSource(options: {
  port: number;
  file: string;
  messages: number;
  sessions: number;
  from: string;
  to: string;
  timeoutMs: number;
}): Promise<SourceResult> {
  const binary = postfixTool('smtp-source');
  if (!binary) throw new Error('smtp-source not found');
  const args = ['-d', '-s', String(options.sessions), '-m', String(options.messages), '-F', options.file, '-f', options.from, '-t', options.to, '-M', 'source.bench.test', `127.0.0.1:${options.port}`];
  const started = process.hrtime.bigint();
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
  clearTimeout(timer);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const ok = code === 0 && !timedOut;
  const detail = timedOut ? `timed out after ${options.timeoutMs / 1000} s` : code !== 0 ? `exit ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : '';
  return { messages: options.messages, seconds, ok, detail };
}

/** One line about the machine: results on a shared 2-core box move with whatever else runs. */
export function machineLine(): string {
  const list = cpus();
  const load = loadavg().map((value) => value.toFixed(2)).join(' ');
  return `${list.length} CPU(s) ${list[0]?.model ?? ''}, load average ${load}, node ${process.version}`;
}

/** Is a Postfix daemon (master) running or anything listening on port 25? Only reported, never changed. */
export function port25Note(): string | undefined {
  const result = spawnSync('ss', ['-ltnH', 'sport = :25'], { encoding: 'utf8' });
  if (result.status === 0 && result.stdout.trim() !== '') return 'note: something listens on port 25 (a Postfix daemon?); the benchmark does not use it';
  return undefined;
}

/** user + system CPU of a process (and its reaped children), from /proc; undefined when not readable. */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime, stime in clock ticks (USER_HZ, 100 on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** Redis server CPU (user + system) so far, in ms, from INFO. */
export async function redisCpuMs(redis: { info(section: string): Promise<string> }): Promise<number | undefined> {
  const info = await redis.info('cpu');
  const user = /used_cpu_user:([\d.]+)/.exec(info)?.[1];
  const system = /used_cpu_sys:([\d.]+)/.exec(info)?.[1];
  return user && system ? (Number(user) + Number(system)) * 1000 : undefined;
}
