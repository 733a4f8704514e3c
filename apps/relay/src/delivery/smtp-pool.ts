import { SmtpClient, type SmtpClientOptions, type SmtpTarget } from './smtp-client';

export interface SmtpPoolOptions extends SmtpClientOptions {
  /** Open connections (busy + idle) per remote server. */
  perTargetLimit: number;
  /** An idle connection is closed after this long (Postfix smtp_connection_cache_time_limit is 2 s). */
  idleMs: number;
  /** A session idle for longer than this is RSET before reuse even after a delivered message. */
  verifyAfterMs: number;
}

interface IdleClient {
  client: SmtpClient;
  timer: NodeJS.Timeout;
}

class TargetSlot {
  busy = 0;
  readonly idle: IdleClient[] = [];
  readonly waiters: (() => void)[] = [];
}

/**
 * SMTP sessions per remote server (address, port, TLS mode): reused across messages and jobs, since a TCP + TLS
 * handshake per message is most of the cost of a small message, and capped per server so one worker never opens
 * more than `perTargetLimit` connections to it (remote servers throttle or blocklist senders that do).
 */
export class SmtpPool {
  private readonly slots = new Map<string, TargetSlot>();
  private closed = false;

  constructor(private readonly options: SmtpPoolOptions) {}

  /** Runs `work` on a session with the target; waits for a free slot when the target is at its limit. */
  async use<T>(target: SmtpTarget, work: (client: SmtpClient) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('SMTP pool is closed');
    const slot = this.slot(target);
    await this.acquire(slot);
    let client: SmtpClient | undefined;
    try {
      const checkedOut = await this.checkout(slot, target);
      client = checkedOut.client;
      try {
        return await work(client);
      } catch (error) {
        // A session reused without RSET may have been dropped by the server in the meantime; if it failed before
        // the message went out, nothing was delivered and a fresh session is tried once instead of deferring.
        if (!checkedOut.unverified || !client.lostBeforeMessage) throw error;
        client.close();
        client = await SmtpClient.open(target, this.options);
        return await work(client);
      }
    } finally {
      if (client) this.checkin(slot, client);
      this.release(slot);
    }
  }

  /** QUITs every idle session. Busy ones are finished by their callers, which close() does not wait for. */
  close(): void {
    this.closed = true;
    for (const slot of this.slots.values()) {
      for (const idle of slot.idle.splice(0)) {
        clearTimeout(idle.timer);
        idle.client.quit();
      }
    }
  }

  private slot(target: SmtpTarget): TargetSlot {
    const key = `${target.address}|${target.port}|${target.hostname}|${target.tls}`;
    let slot = this.slots.get(key);
    if (!slot) {
      slot = new TargetSlot();
      this.slots.set(key, slot);
    }
    return slot;
  }

  private async acquire(slot: TargetSlot): Promise<void> {
    while (slot.busy >= this.options.perTargetLimit) {
      await new Promise<void>((resolve) => slot.waiters.push(resolve));
    }
    slot.busy += 1;
  }

  private release(slot: TargetSlot): void {
    slot.busy -= 1;
    slot.waiters.shift()?.();
  }

  /** A session, and whether it is a reused one that was not proven alive with RSET. */
  private async checkout(slot: TargetSlot, target: SmtpTarget): Promise<{ client: SmtpClient; unverified: boolean }> {
    for (let idle = slot.idle.pop(); idle; idle = slot.idle.pop()) {
      clearTimeout(idle.timer);
      const state = await this.ready(idle.client);
      if (state !== 'closed') return { client: idle.client, unverified: state === 'unverified' };
      idle.client.close();
    }
    return { client: await SmtpClient.open(target, this.options), unverified: false };
  }

  /** The previous transaction may have ended in a refusal, or the server may have dropped a quiet session. */
  private async ready(client: SmtpClient): Promise<'verified' | 'unverified' | 'closed'> {
    if (!client.usable) return 'closed';
    if (!client.needsReset(this.options.verifyAfterMs)) return 'unverified';
    return client.reset().then(
      () => 'verified',
      () => 'closed',
    );
  }

  private checkin(slot: TargetSlot, client: SmtpClient): void {
    if (this.closed || !client.usable) {
      client.close();
      return;
    }
    const timer = setTimeout(() => {
      const index = slot.idle.findIndex((idle) => idle.client === client);
      if (index >= 0) slot.idle.splice(index, 1);
      client.quit();
    }, this.options.idleMs);
    timer.unref();
    slot.idle.push({ client, timer });
  }
}
