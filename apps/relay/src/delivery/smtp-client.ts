import type { RouteTlsMode } from '@smarthost/relay-policy';
import { isIP, type Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import SMTPConnection, { type SMTPConnectionSendInfo } from 'nodemailer/lib/smtp-connection';
import { coalesceWrites } from '../net/coalesce-writes';

/** One remote server to connect to: an address from DNS and the name it was found under. */
export interface SmtpTarget {
  address: string;
  port: number;
  /** MX or route host name: TLS SNI and the `remoteMta` of events. */
  hostname: string;
  /** An inbound route's own mode; MX hosts and the relayhost are `opportunistic` (contract.ts explains each). */
  tls: RouteTlsMode;
}

export interface SmtpClientOptions {
  heloName: string;
  connectTimeoutMs: number;
  socketTimeoutMs: number;
  /** The CAs a `require_verified` server's certificate must chain to; undefined = Node's bundled roots. */
  trustedCas?: readonly string[];
}

/** A reply-carrying error as nodemailer produces it. */
export interface SmtpError extends Error {
  code?: string;
  originalCode?: string;
  response?: string;
  responseCode?: number;
  command?: string;
  recipient?: string;
  rejectedErrors?: SmtpError[];
}

export function remoteMta(target: SmtpTarget): string {
  return `${target.hostname}[${target.address}]:${target.port}`;
}

/**
 * A promise face over nodemailer's SMTPConnection, which gives the reply of every RCPT (nodemailer's transport
 * does not). Errors are always listened to: an unhandled 'error' event would take the whole worker down.
 */
export class SmtpClient {
  private closed = false;
  private lastError: SmtpError | undefined;
  private clean = true;
  private idleSince = Date.now();
  private lost = false;

  private constructor(
    readonly target: SmtpTarget,
    private readonly connection: SMTPConnection,
  ) {
    connection.on('error', (error: SmtpError) => {
      this.lastError = error;
      this.closed = true;
    });
    connection.on('end', () => {
      this.closed = true;
    });
  }

  static open(target: SmtpTarget, options: SmtpClientOptions): Promise<SmtpClient> {
    const servername = isIP(target.hostname) === 0 ? target.hostname : undefined;
    const connection = new SMTPConnection({
      host: target.address,
      port: target.port,
      name: options.heloName,
      // RFC 7435 opportunistic TLS towards MX hosts: encrypt when offered, never authenticate (no MTA-STS/DANE
      // yet), and stay in plaintext when the upgrade fails rather than not delivering at all. A route may demand
      // TLS; its certificate is checked after the handshake (verificationProblem), so the deferral can say why.
      requireTLS: target.tls !== 'opportunistic',
      opportunisticTLS: target.tls === 'opportunistic',
      tls: {
        rejectUnauthorized: false,
        minVersion: 'TLSv1.2',
        ...(servername ? { servername } : {}),
        ...(target.tls === 'require_verified' && options.trustedCas ? { ca: [...options.trustedCas] } : {}),
      },
      connectionTimeout: options.connectTimeoutMs,
      greetingTimeout: options.connectTimeoutMs,
      socketTimeout: options.socketTimeoutMs,
      logger: false,
      debug: false,
    });
    const client = new SmtpClient(target, connection);
    // nodemailer calls the connect callback only on success; a refused or failed connection is an 'error' event.
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (error: SmtpError) => {
        if (settled) return;
        settled = true;
        client.close();
        reject(error);
      };
      connection.once('error', fail);
      connection.once('end', () => fail(Object.assign(new Error('connection closed during the greeting'), { code: 'ECONNECTION' })));
      connection.connect((error) => {
        if (error) return fail(error);
        const problem = target.tls === 'require_verified' ? verificationProblem(connection) : null;
        // Nothing but EHLO has gone over the unverified channel: no envelope, no message.
        if (problem !== null) return fail(Object.assign(new Error(`certificate of ${target.hostname} not verified: ${problem}`), { code: CERTIFICATE_NOT_VERIFIED }));
        if (settled) return;
        settled = true;
        connection.off('error', fail);
        resolve(client);
      });
    });
  }

  get usable(): boolean {
    return !this.closed;
  }

  get secure(): boolean {
    return this.connection.secure;
  }

  /**
   * Whether the session must be RSET before its next transaction: the last one did not end in a reply to the
   * message (a refusal may leave the server mid-transaction), or the session sat idle long enough that the
   * server may have dropped it without us seeing the close yet. After a delivered message RFC 5321 §4.1.4
   * leaves the server ready for the next MAIL, and a hot session skips the round trip.
   */
  needsReset(maxQuietMs: number): boolean {
    return !this.clean || Date.now() - this.idleSince > maxQuietMs;
  }

  /**
   * Whether the last `send` failed with the session gone (no reply, or 421) before the whole message went out: the
   * server cannot have accepted it, so it may be sent again on another session without being delivered twice.
   */
  get lostBeforeMessage(): boolean {
    return this.lost;
  }

  send(from: string, to: readonly string[], message: Buffer): Promise<SMTPConnectionSendInfo> {
    // After the greeting and STARTTLS: the socket the message goes out on (nodemailer's own, by its private name).
    const socket = (this.connection as unknown as { _socket?: Socket })._socket;
    if (socket) coalesceWrites(socket);
    const writtenBefore = socket?.bytesWritten ?? 0;
    this.clean = false;
    this.lost = false;
    return new Promise((resolve, reject) => {
      this.connection.send({ from, to: [...to], size: message.length, use8BitMime: true }, message, (error, info) => {
        this.idleSince = Date.now();
        if (error || !info) {
          const failure: SmtpError = error ?? this.lastError ?? new Error('send ended without a result');
          const sessionGone = !failure.responseCode || failure.responseCode === 421;
          this.lost = sessionGone && (socket?.bytesWritten ?? 0) - writtenBefore < envelopeBytes(from, to) + message.length;
          return reject(failure);
        }
        this.clean = true;
        resolve(info);
      });
    });
  }

  /**
   * The RCPT refusals of the last transaction. nodemailer hands them over only with a successful DATA; when DATA
   * itself is refused they are still on its envelope, and without them a recipient refused at RCPT would get the
   * DATA reply instead of its own.
   */
  lastRcptRefusals(): SmtpError[] {
    const envelope = (this.connection as unknown as { _envelope?: { rejectedErrors?: unknown } })._envelope;
    const refusals = envelope?.rejectedErrors;
    return Array.isArray(refusals) ? (refusals as SmtpError[]) : [];
  }

  /** RSET (RFC 5321 §4.1.1.5): ends a failed transaction and proves the session is alive before reuse. */
  reset(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new Error('connection closed'));
      this.connection.reset((error) => {
        if (error) return reject(error);
        this.clean = true;
        this.idleSince = Date.now();
        resolve();
      });
    });
  }

  quit(): void {
    if (this.closed) return;
    this.closed = true;
    this.connection.quit();
  }

  close(): void {
    this.closed = true;
    this.connection.close();
  }
}

/** The error code of a session given up because the server's certificate did not verify. */
export const CERTIFICATE_NOT_VERIFIED = 'ECERTVERIFY';

/**
 * Why the session's certificate does not prove the server is the route host (Postfix `verify`): it must chain to a
 * trusted CA and name the host (Node checks both into `authorized` even without rejectUnauthorized). Null when it does.
 */
function verificationProblem(connection: SMTPConnection): string | null {
  const socket = (connection as unknown as { _socket?: Socket })._socket;
  if (!(socket instanceof TLSSocket)) return 'the session is not encrypted';
  if (socket.authorized) return null;
  return String(socket.authorizationError ?? 'untrusted certificate');
}

/**
 * The envelope commands without their parameters: fewer bytes than really go out, so "fewer than these plus the
 * message were written" can only be true when the message's end was never sent.
 */
function envelopeBytes(from: string, to: readonly string[]): number {
  return Buffer.byteLength(`MAIL FROM:<${from}>\r\n${to.map((address) => `RCPT TO:<${address}>\r\n`).join('')}DATA\r\n`);
}
