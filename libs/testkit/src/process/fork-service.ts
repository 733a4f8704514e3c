import { fork, type ChildProcess } from 'node:child_process';

export interface ForkServiceOptions {
  env?: Record<string, string>;
  execArgv?: string[];
  startTimeoutMs?: number;
}

export interface ForkedService<Ready> {
  child: ChildProcess;
  /** The child's `{ type: 'ready', … }` message. */
  ready: Ready;
  /** Sends `{ type }` and resolves with the child's next message of that type. */
  ask<Answer>(type: string): Promise<Answer>;
  /** Asks the child to stop (`{ type: 'stop' }`, then disconnects), and kills it if it has not exited in 15 s. */
  close(): Promise<void>;
}

/**
 * Runs a Node script in its own process, as a service a test or benchmark talks to over fork IPC: it announces
 * itself with `{ type: 'ready', … }`, answers `{ type }` requests with a message of the same type, and exits on
 * `{ type: 'stop' }` or when the channel closes. Its stdout is discarded, its stderr shown.
 */
export async function forkService<Ready extends { type: 'ready' }>(script: string, options: ForkServiceOptions = {}): Promise<ForkedService<Ready>> {
  const child = fork(script, [], {
    env: { ...(process.env as Record<string, string>), ...options.env },
    execArgv: options.execArgv ?? [],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const ready = await new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start within ${timeoutMs / 1000} s`)), timeoutMs);
    child.once('exit', (code) => reject(new Error(`${script} exited with code ${code}`)));
    child.once('message', (message: Ready) => {
      clearTimeout(timer);
      if (message.type === 'ready') resolve(message);
      else reject(new Error(`${script} sent ${JSON.stringify(message)} before it was ready`));
    });
  });
  const ask = <Answer>(type: string) =>
    new Promise<Answer>((resolve) => {
      const listen = (message: { type?: string }) => {
        if (message.type !== type) return;
        child.off('message', listen);
        resolve(message as Answer);
      };
      child.on('message', listen);
      child.send({ type });
    });
  const close = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (child.connected) child.send({ type: 'stop' }, () => child.disconnect());
    else child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(killer);
  };
  return { child, ready, ask, close };
}
