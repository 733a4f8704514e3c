import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { coalesceWrites, holdWrites } from '../net/coalesce-writes';
import type { TlsMaterial } from '../tls/tls-material';
import { toCallback, type Done } from './adapt';
import { onAuth } from './handlers/on-auth';
import { onClose, onConnect, onSecure } from './handlers/on-connect';
import { onData } from './handlers/on-data';
import { onMailFrom } from './handlers/on-mail-from';
import { onRcptTo } from './handlers/on-rcpt-to';
import type { RelayContext } from './relay-context';
import type { ListenerKind } from './session-state';

export interface ListenerSettings {
  maxClients: number;
  socketTimeoutMs: number;
  closeTimeoutMs: number;
  /** Advertised SIZE before any policy is loaded. */
  defaultSize: number;
}

export interface Listener {
  kind: ListenerKind;
  server: SMTPServer;
  /** Sets the advertised SIZE (RFC 1870): the largest message any tenant may send. */
  setSize(bytes: number): void;
}

export function createListener(ctx: RelayContext, kind: ListenerKind, tls: TlsMaterial, settings: ListenerSettings): Listener {
  const server = new SMTPServer(listenerOptions(ctx, kind, tls, settings));
  server.on('error', (error) => ctx.logger.warn({ err: error, listener: kind }, 'smtp listener error'));
  // Replies to pipelined commands (RFC 2920) leave together: see coalesceWrites. TLS sockets are taken in
  // onSecure; on 465 the server socket carries only TLS records, written natively.
  if (kind !== 'submissions') server.server.on('connection', coalesceWrites);
  return {
    kind,
    server,
    setSize: (bytes) => {
      server.options.size = bytes;
    },
  };
}

function listenerOptions(ctx: RelayContext, kind: ListenerKind, tls: TlsMaterial, settings: ListenerSettings): SMTPServerOptions {
  const inbound = kind === 'inbound';
  // Each session's TLS socket (onSecure comes before onConnect on 465), so MAIL and RCPT can hold its replies.
  const sockets = new Map<string, Socket>();
  const heldUntil = <R>(session: SMTPServerSession, done: Done<R>): Done<R> => {
    const socket = sockets.get(session.id);
    if (socket === undefined) return done;
    const release = holdWrites(socket);
    return (error, result) => {
      done(error, result);
      release();
    };
  };
  return {
    key: tls.key,
    cert: tls.cert,
    name: ctx.hostname,
    banner: 'Smarthost',
    // 465: TLS from the first byte (RFC 8314). 587 and 25 offer STARTTLS.
    secure: kind === 'submissions',
    // Port 25 never takes AUTH: credentials belong on submission ports only (and over TLS).
    disabledCommands: inbound ? ['AUTH'] : [],
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: inbound,
    allowInsecureAuth: false,
    authRequiredMessage: '5.7.0 Authentication required',
    disableReverseLookup: true,
    maxClients: settings.maxClients,
    socketTimeout: settings.socketTimeoutMs,
    closeTimeout: settings.closeTimeoutMs,
    size: settings.defaultSize,
    logger: false,
    onConnect: (session, done) => toCallback(ctx, 'connect', () => onConnect(ctx, kind, session), done),
    onSecure: (socket, session, done) => {
      coalesceWrites(socket);
      sockets.set(session.id, socket);
      toCallback(ctx, 'secure', () => onSecure(session), done);
    },
    onAuth: (auth, session, done) => toCallback(ctx, 'auth', () => onAuth(ctx, auth, session), done),
    onMailFrom: (address, session, done) => toCallback(ctx, 'mail', () => onMailFrom(ctx, address, session), heldUntil(session, done)),
    onRcptTo: (address, session, done) => toCallback(ctx, 'rcpt', () => onRcptTo(ctx, address, session), heldUntil(session, done)),
    onData: (stream, session, done) => toCallback(ctx, 'data', () => onData(ctx, stream, session), done),
    onClose: (session) => {
      sockets.delete(session.id);
      onClose(ctx, session).catch((error: unknown) => ctx.logger.warn({ err: error, sessionId: session.id }, 'close cleanup failed'));
    },
  };
}

export function listen(listener: Listener, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    listener.server.server.once('error', reject);
    listener.server.listen(port, host, () => {
      listener.server.server.off('error', reject);
      resolve((listener.server.server.address() as AddressInfo).port);
    });
  });
}

export function closeListener(listener: Listener): Promise<void> {
  return new Promise((resolve) => listener.server.close(() => resolve()));
}
