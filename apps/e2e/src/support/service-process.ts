import { type ChildProcess, spawn } from 'node:child_process';
import { waitFor } from '@smarthost/testkit';

const LOG_TAIL_LINES = 300;
const STOP_GRACE_MS = 10_000;

/** Every child this test process started and has not yet seen exit, so none outlives a crashed test file. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** One line of a child's pino output (non-JSON lines, e.g. a stack trace on stderr, come as `{ msg: line }`). */
export type LogLine = Record<string, unknown> & { msg?: string };

/**
 * A built app (`apps/<app>/dist/main.js`) run as its own Node process with its own environment, as production
 * runs it. Output is kept (the tail) for failure messages and for the lines a test waits for; `E2E_LOGS=1`
 * also streams it to stderr.
 */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private lines: LogLine[] = [];
  private exitInfo: string | undefined;

  constructor(
    readonly name: string,
    private readonly script: string,
    private env: Record<string, string>,
    private readonly cwd: string,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get isRunning(): boolean {
    return this.child !== undefined && this.exitInfo === undefined;
  }

  start(extraEnv: Record<string, string> = {}): void {
    if (this.isRunning) throw new Error(`${this.name} is already running`);
    this.env = { ...this.env, ...extraEnv };
    this.lines = [];
    this.exitInfo = undefined;
    const child = spawn(process.execPath, ['--enable-source-maps', this.script], {
      cwd: this.cwd,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    running.add(child);
    for (const stream of [child.stdout, child.stderr]) {
      let buffered = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        buffered += chunk;
        const parts = buffered.split('\n');
        buffered = parts.pop() ?? '';
        for (const line of parts) this.record(line);
      });
    }
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        running.delete(child);
        this.exitInfo = signal ?? `exit code ${code}`;
        resolve();
      });
    });
  }

  /** SIGTERM (graceful shutdown), SIGKILL if it has not exited within the grace time. */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  /** SIGKILL: a crash, a power cut, an OOM kill; nothing gets to clean up. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** Waits for a log line matching `predicate` (since the last start) and returns it. */
  async waitForLog(predicate: (line: LogLine) => boolean, description: string, timeoutMs = 30_000): Promise<LogLine> {
    return waitFor(
      () => {
        const line = this.lines.find(predicate);
        if (line) return line;
        if (this.exitInfo !== undefined) throw new Error(`${this.name} exited (${this.exitInfo})`);
        return undefined;
      },
      { timeoutMs, intervalMs: 50, description: `${this.name}: ${description}\n${this.tail()}` },
    );
  }

  /** The last lines of output, for a failure message. */
  tail(count = 40): string {
    return this.lines
      .slice(-count)
      .map((line) => `  ${this.name}| ${JSON.stringify(line)}`)
      .join('\n');
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || this.exitInfo !== undefined) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }

  private record(text: string): void {
    if (text.trim() === '') return;
    let line: LogLine;
    try {
      const parsed: unknown = JSON.parse(text);
      line = parsed !== null && typeof parsed === 'object' ? (parsed as LogLine) : { msg: text };
    } catch {
      line = { msg: text };
    }
    this.lines.push(line);
    if (this.lines.length > LOG_TAIL_LINES * 2) this.lines = this.lines.slice(-LOG_TAIL_LINES);
    if (process.env.E2E_LOGS === '1') process.stderr.write(`${this.name}| ${text}\n`);
  }
}

/** Runs a script to completion (e.g. the seed), failing with its output if it exits non-zero. */
export function runToCompletion(script: string, env: Record<string, string>, cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`${script} exited with ${code}:\n${output}`))));
  });
}
