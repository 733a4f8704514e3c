import type { Logger } from '@smarthost/logger';
import type { HeartbeatBody, PolicyApiClient } from './policy-api-client';

/**
 * Tells the API this node is alive, which policy version it serves, how deep the delivery queue is (so operators
 * see a node that fell behind) and which credentials logged in since the last beat. Failures are logged and
 * retried on the next beat, never fatal; `undelivered` gets back what a failed beat carried.
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
    private readonly undelivered: (body: HeartbeatBody) => void = () => undefined,
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
    let body: HeartbeatBody | undefined;
    try {
      body = await this.collect();
      await this.api.heartbeat(body, this.abort.signal);
      this.logger.debug({ policyVersion: body.policyVersion, credentialUses: body.credentialUses.length }, 'heartbeat sent');
    } catch (error) {
      if (body) this.undelivered(body);
      if (!this.abort.signal.aborted) this.logger.warn({ err: error }, 'heartbeat failed');
    }
  }
}
