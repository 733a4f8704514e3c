import { createLogger } from '@smarthost/logger';
import { loadRelayConfig } from '../config/relay-config';
import { startRelay } from '../start-relay';

/**
 * ONE relay node for `bench:relay` and `bench:policy`, in its own process: `startRelay` exactly as main() runs it
 * (role relay), configured by the environment, logging at LOG_LEVEL to stdout (the parent discards it, as a
 * production log shipper would take it). Tells the parent its ports over fork IPC; closes on `stop`.
 */
async function run(): Promise<void> {
  const config = loadRelayConfig();
  const logger = createLogger({ name: 'bench-relay', level: config.LOG_LEVEL });
  const relay = await startRelay(config, logger);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void relay.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'stop') stop();
    if (message.type === 'status') process.send?.({ type: 'status', status: relay.policyStatus() });
  });
  process.on('disconnect', stop);
  process.once('SIGTERM', stop);
  process.send?.({ type: 'ready', ports: relay.ports, status: relay.policyStatus() });
}

run().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
