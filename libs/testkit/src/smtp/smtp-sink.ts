import type { AddressInfo } from 'node:net';
import { SMTPServer, SMTPServerDataStream, SMTPServerOptions, SMTPServerSession } from 'smtp-server';
import { CertificatePair, selfSignedCert } from '../tls/self-signed-cert';
import { waitFor } from '../net/wait-for';
import { ReplyScript, SinkReply, toSmtpError } from './reply-script';

export interface ReceivedMessage {
  envelope: { mailFrom: string; rcptTo: string[] };
  /** The message as received after DATA (dot-unstuffed), headers and body. */
  raw: Buffer;
  remoteAddress: string;
  /** True when the transaction ran over TLS (STARTTLS or implicit). */
  secure: boolean;
  /** The name the client gave in EHLO/HELO. */
  heloName: string;
  /** The AUTH user, when the client authenticated. */
  user?: string;
}

export type SinkStage = 'mail' | 'rcpt' | 'data';

export interface SinkAttempt {
  stage: SinkStage;
  /** MAIL FROM or RCPT TO address; empty for DATA. */
  address: string;
  code: number;
}

export interface SmtpSinkOptions {
  /** Implicit TLS (port-465 style) instead of STARTTLS. */
  secure?: boolean;
  /** Offer STARTTLS (the default) with this certificate or a fresh self-signed one; false to not offer it. */
  tls?: CertificatePair | false;
  /** Accounts for AUTH (only after TLS); AUTH is not offered when omitted. Clients may still skip AUTH. */
  users?: Readonly<Record<string, string>>;
  /** Host name in the greeting and EHLO reply. */
  name?: string;
  /** Advertised SIZE limit; larger messages get 552. */
  size?: number;
  port?: number;
}

export interface SmtpSink {
  host: '127.0.0.1';
  port: number;
  /** The certificate the sink presents, so a client may pin it as its CA. */
  cert?: string;
  readonly messages: readonly ReceivedMessage[];
  /** Every MAIL/RCPT/DATA decision with the code sent, accepted or not. */
  readonly attempts: readonly SinkAttempt[];
  replyToMailFrom(replies: SinkReply | readonly SinkReply[]): void;
  /** Script for one recipient (case-insensitive), or `'*'` for every recipient without its own. */
  replyToRcpt(address: string, replies: SinkReply | readonly SinkReply[]): void;
  replyToData(replies: SinkReply | readonly SinkReply[]): void;
  /** Back to accepting everything. */
  resetReplies(): void;
  clearMessages(): void;
  waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedMessage[]>;
  close(): Promise<void>;
}

// smtp-server waits this long for open sessions to finish before answering 421 and closing them.
const CLOSE_GRACE_MS = 200;

/** A real SMTP server on 127.0.0.1 that stands in for a remote MX or a customer's inbound server. */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const tls = options.tls === false && !options.secure ? undefined : options.tls || (await selfSignedCert());
  const state = new SinkState();
  const server = new SMTPServer(serverOptions(options, tls, state));
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    cert: tls?.cert,
    messages: state.messages,
    attempts: state.attempts,
    replyToMailFrom: (replies) => (state.mail = new ReplyScript(replies)),
    replyToRcpt: (address, replies) => state.rcpt.set(address.toLowerCase(), new ReplyScript(replies)),
    replyToData: (replies) => (state.data = new ReplyScript(replies)),
    resetReplies: () => state.reset(),
    clearMessages: () => {
      state.messages.length = 0;
      state.attempts.length = 0;
    },
    waitForMessages: (count, timeoutMs = 5000) =>
      waitFor(() => state.messages.length >= count && [...state.messages], {
        timeoutMs,
        description: `${count} message(s) at the SMTP sink (have ${state.messages.length})`,
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

class SinkState {
  readonly messages: ReceivedMessage[] = [];
  readonly attempts: SinkAttempt[] = [];
  mail = new ReplyScript();
  data = new ReplyScript();
  readonly rcpt = new Map<string, ReplyScript>();

  reset(): void {
    this.mail = new ReplyScript();
    this.data = new ReplyScript();
    this.rcpt.clear();
  }

  decide(stage: SinkStage, address: string, script: ReplyScript): Error | undefined {
    const decision = script.next();
    this.attempts.push({ stage, address, code: decision === 'accept' ? 250 : decision.code });
    return decision === 'accept' ? undefined : toSmtpError(decision);
  }

  rcptScript(address: string): ReplyScript {
    return this.rcpt.get(address.toLowerCase()) ?? this.rcpt.get('*') ?? new ReplyScript();
  }
}

function serverOptions(options: SmtpSinkOptions, tls: CertificatePair | undefined, state: SinkState): SMTPServerOptions {
  const disabled = [...(tls ? [] : ['STARTTLS']), ...(options.users ? [] : ['AUTH'])];
  return {
    ...(tls ?? {}),
    secure: options.secure ?? false,
    name: options.name ?? 'sink.test',
    size: options.size,
    disabledCommands: disabled,
    authOptional: true,
    logger: false,
    closeTimeout: CLOSE_GRACE_MS,
    // A PTR lookup per connection would hit the system resolver, which has no answers in tests.
    disableReverseLookup: true,
    onAuth: (auth, _session, callback) => {
      const ok = options.users !== undefined && auth.username !== undefined && options.users[auth.username] === auth.password;
      callback(ok ? null : toSmtpError({ code: 535, message: '5.7.8 Authentication credentials invalid' }), ok ? { user: auth.username } : undefined);
    },
    onMailFrom: (address, _session, callback) => callback(state.decide('mail', address.address, state.mail)),
    onRcptTo: (address, _session, callback) =>
      callback(state.decide('rcpt', address.address, state.rcptScript(address.address))),
    onData: (stream, session, callback) => {
      readStream(stream).then(
        (raw) => {
          if (stream.sizeExceeded) return callback(toSmtpError({ code: 552, message: '5.3.4 Message too big' }));
          const refusal = state.decide('data', '', state.data);
          if (!refusal) state.messages.push(toMessage(raw, session));
          callback(refusal);
        },
        (error: Error) => callback(error),
      );
    },
  };
}

function readStream(stream: SMTPServerDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

function toMessage(raw: Buffer, session: SMTPServerSession): ReceivedMessage {
  const { mailFrom, rcptTo } = session.envelope;
  const user = typeof session.user === 'string' ? session.user : undefined;
  return {
    envelope: { mailFrom: mailFrom ? mailFrom.address : '', rcptTo: rcptTo.map((rcpt) => rcpt.address) },
    raw,
    remoteAddress: session.remoteAddress,
    secure: session.secure,
    heloName: session.hostNameAppearsAs,
    ...(user ? { user } : {}),
  };
}
