import type { Logger } from '@smarthost/logger';
import type { HeartbeatBody, PolicyApiClient } from './policy-api-client';

/**
 * Tells the API this node is alive, which policy version it serves and how deep the delivery queue is, so
 * operators see a node that fell behind. Failures are logged and retried on the next beat, never fatal.
 */
export class Heartbeat {
  private timer: NodeJS.Timeout | undefined;
  private readonly abort = new AbortController();
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly api: PolicyApiClient,
    private readonly intervalMs: number,
    private readonly collect: () => Promise<HeartbeatBody>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    const beat = () => {
      this.inFlight = this.send();
    };
    beat();
    this.timer = setInterval(beat, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.abort.abort();
    await this.inFlight;
  }

  private async send(): Promise<void> {
    try {
      await this.api.heartbeat(await this.collect(), this.abort.signal);
    } catch (error) {
      if (!this.abort.signal.aborted) this.logger.warn({ err: error }, 'heartbeat failed');
    }
  }
}
