import { connect as netConnect, Socket } from 'node:net';
import { connect as tlsConnect, ConnectionOptions, TLSSocket } from 'node:tls';
import { SmtpReply, takeReply } from './smtp-reply';

export interface RawSmtpOptions {
  /** Implicit TLS from the first byte. */
  tls?: boolean;
  /** Verify against this CA; otherwise the certificate is not checked. */
  ca?: string;
  timeoutMs?: number;
  /** Source address, e.g. 127.0.0.2, to play a second client address on loopback. */
  localAddress?: string;
}

interface Waiter {
  resolve: (reply: SmtpReply) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * A bare SMTP client over a socket, for tests that must send what a well-behaved client never
 * would: pipelined commands around STARTTLS, bare CR/LF in DATA, oversized lines, early closes.
 * Bytes are kept as latin1 so every octet the server sends is visible unchanged.
 */
export class RawSmtpClient {
  private buffer = '';
  /** How many reads brought data: replies the server wrote together arrive in one (TLS: one record). */
  chunksReceived = 0;
  private readonly waiters: Waiter[] = [];
  private closedError: Error | undefined;

  private constructor(
    private socket: Socket | TLSSocket,
    private readonly timeoutMs: number,
    private readonly ca: string | undefined,
  ) {
    this.attach(socket);
  }

  static async connect(host: string, port: number, options: RawSmtpOptions = {}): Promise<RawSmtpClient> {
    const timeoutMs = options.timeoutMs ?? 5000;
    const address = options.localAddress === undefined ? {} : { localAddress: options.localAddress };
    const socket = options.tls ? tlsConnect({ host, port, ...address, ...tlsOptions(options.ca) }) : netConnect({ host, port, ...address });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.once(options.tls ? 'secureConnect' : 'connect', () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new RawSmtpClient(socket, timeoutMs, options.ca);
  }

  get secure(): boolean {
    return this.socket instanceof TLSSocket;
  }

  get closed(): boolean {
    return this.closedError !== undefined;
  }

  /** The next complete reply (multi-line aware); rejects on timeout or when the server hangs up first. */
  read(timeoutMs = this.timeoutMs): Promise<SmtpReply> {
    const ready = this.take();
    if (ready) return Promise.resolve(ready);
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          reject(new Error(`no SMTP reply within ${timeoutMs} ms (buffered: ${JSON.stringify(this.buffer)})`));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** Sends bytes exactly as given: no CRLF is added. */
  write(data: string | Buffer): void {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  command(line: string, timeoutMs = this.timeoutMs): Promise<SmtpReply> {
    this.write(`${line}\r\n`);
    return this.read(timeoutMs);
  }

  /**
   * Upgrades the connection to TLS in place; send `STARTTLS` and read its 220 first. Returns the
   * plaintext that arrived after the 220 and before the handshake, which a correct server never
   * sends (RFC 3207 §4.2 / CVE-2011-0411 class of injection); it is discarded, not read as replies.
   */
  async startTls(): Promise<string> {
    const leftover = this.buffer;
    this.buffer = '';
    this.detach();
    const secure = tlsConnect({ socket: this.socket, ...tlsOptions(this.ca) });
    await new Promise<void>((resolve, reject) => {
      secure.once('error', reject);
      secure.once('secureConnect', () => {
        secure.off('error', reject);
        resolve();
      });
    });
    this.socket = secure;
    this.attach(secure);
    return leftover;
  }

  close(): Promise<void> {
    if (this.closedError) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.end();
      setTimeout(() => this.socket.destroy(), 500).unref();
    });
  }

  private readonly onData = (chunk: Buffer): void => {
    this.chunksReceived += 1;
    this.buffer += chunk.toString('latin1');
    this.deliver();
  };
  private readonly onError = (error: Error): void => this.fail(error);
  private readonly onClose = (): void => this.fail(new Error('connection closed by server'));

  private attach(socket: Socket | TLSSocket): void {
    socket.on('data', this.onData).on('error', this.onError).on('close', this.onClose);
  }

  private detach(): void {
    this.socket.off('data', this.onData).off('error', this.onError).off('close', this.onClose);
  }

  private deliver(): void {
    while (this.waiters.length > 0) {
      const reply = this.take();
      if (!reply) return;
      const waiter = this.waiters.shift() as Waiter;
      clearTimeout(waiter.timer);
      waiter.resolve(reply);
    }
  }

  private fail(error: Error): void {
    this.closedError ??= error;
    this.deliver();
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(this.closedError);
    }
  }

  private take(): SmtpReply | undefined {
    const taken = takeReply(this.buffer);
    if (!taken) return undefined;
    this.buffer = taken.rest;
    return taken.reply;
  }
}

export function rawSmtp(host: string, port: number, options?: RawSmtpOptions): Promise<RawSmtpClient> {
  return RawSmtpClient.connect(host, port, options);
}

function tlsOptions(ca: string | undefined): ConnectionOptions {
  return ca ? { ca } : { rejectUnauthorized: false };
}
