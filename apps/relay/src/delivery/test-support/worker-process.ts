import { createLogger } from '@smarthost/logger';
import { startDeliveryWorker } from '../start-delivery-worker';
import { workerConfig } from './fixtures';

/**
 * A delivery worker in its own process, so a test can SIGKILL it mid-delivery. Configured by the environment
 * like the relay (the variables of workerConfig); prints `ready` once it takes jobs.
 */
async function run(): Promise<void> {
  const env = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const worker = await startDeliveryWorker(workerConfig(env), createLogger({ name: 'delivery-child', level: 'silent' }));
  process.once('SIGTERM', () => void worker.close().then(() => process.exit(0)));
  process.stdout.write('ready\n');
}

run().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
