// As in main.ts: the thread pool is sized before anything queues work on it.
import '../runtime/thread-pool';
import { createLogger } from '@smarthost/logger';
import { startDeliveryWorker } from '../delivery/start-delivery-worker';
import { workerConfig } from '../delivery/test-support/fixtures';

/**
 * ONE delivery worker process for the benchmark, configured by the environment like the relay (the variables
 * of workerConfig). Logs at LOG_LEVEL to stdout as in production (the parent discards it). Tells the parent
 * `ready` over fork IPC and closes gracefully on `stop` (or when the parent goes away).
 */
async function run(): Promise<void> {
  const env = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const config = workerConfig({ LOG_LEVEL: 'info', ...env });
  const worker = await startDeliveryWorker(config, createLogger({ name: 'bench-worker', level: env.LOG_LEVEL ?? 'info' }));
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void worker.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'stop') stop();
  });
  process.on('disconnect', stop);
  process.once('SIGTERM', stop);
  process.send?.({ type: 'ready' });
}

run().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
