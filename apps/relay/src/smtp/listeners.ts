import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { coalesceWrites, holdWrites } from '../net/coalesce-writes';
import type { TlsMaterial } from '../tls/tls-material';
import { toCallback, type Done } from './adapt';
import type { AdmissionLimits } from './admission/admission-config';
import { AdmissionGate } from './admission/admission-gate';
import { onAuth } from './handlers/on-auth';
import { onClose, onConnect, onSecure } from './handlers/on-connect';
import { onData } from './handlers/on-data';
import { onMailFrom } from './handlers/on-mail-from';
import { onRcptTo } from './handlers/on-rcpt-to';
import type { RelayContext } from './relay-context';
import type { ListenerKind } from './session-state';

export interface ListenerSettings {
  admission: AdmissionLimits;
  socketTimeoutMs: number;
  closeTimeoutMs: number;
  /** Advertised SIZE before any policy is loaded. */
  defaultSize: number;
}

export interface Listener {
  kind: ListenerKind;
  server: SMTPServer;
  gate: AdmissionGate;
  /** Sets the advertised SIZE (RFC 1870): the largest message any tenant may send. */
  setSize(bytes: number): void;
}

export function createListener(ctx: RelayContext, kind: ListenerKind, tls: TlsMaterial, settings: ListenerSettings): Listener {
  const gate = new AdmissionGate(kind, settings.admission, ctx.hostname, ctx.logger);
  const server = new SMTPServer(listenerOptions(ctx, kind, tls, settings, gate));
  server.on('error', (error) => ctx.logger.warn({ err: error, listener: kind }, 'smtp listener error'));
  // Replies to pipelined commands (RFC 2920) leave together: see coalesceWrites. TLS sockets are taken in
  // onSecure; on 465 the server socket carries only TLS records, written natively.
  gate.install(server, kind === 'submissions' ? () => undefined : coalesceWrites);
  return {
    kind,
    server,
    gate,
    setSize: (bytes) => {
      server.options.size = bytes;
    },
  };
}

function listenerOptions(
  ctx: RelayContext,
  kind: ListenerKind,
  tls: TlsMaterial,
  settings: ListenerSettings,
  gate: AdmissionGate,
): SMTPServerOptions {
  const inbound = kind === 'inbound';
  const ticketOf = (session: SMTPServerSession) => ctx.connections.get(session.id)?.admission ?? null;
  // While a handler decides, the client waits for us: its deadlines stop, and restart from the reply.
  const clocked = <R>(session: SMTPServerSession, done: Done<R>): Done<R> => {
    const ticket = ticketOf(session);
    if (ticket === null) return done;
    ticket.begin();
    return (error, result) => {
      ticket.end();
      done(error, result);
    };
  };
  const dataClocked = (stream: SMTPServerDataStream, session: SMTPServerSession, done: Done<string>): Done<string> => {
    const ticket = ticketOf(session);
    if (ticket === null) return done;
    ticket.startData();
    stream.once('end', () => ticket.endData());
    return (error, result) => {
      ticket.dataAnswered();
      done(error, result);
    };
  };
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
    // A backstop only: the admission gate refuses before smtp-server counts (its refusal names no reason).
    maxClients: settings.admission.maxClients,
    socketTimeout: settings.socketTimeoutMs,
    closeTimeout: settings.closeTimeoutMs,
    size: settings.defaultSize,
    logger: false,
    onConnect: (session, done) => {
      const ticket = gate.bind(session);
      toCallback(ctx, 'connect', () => onConnect(ctx, kind, session, ticket), done);
    },
    onSecure: (socket, session, done) => {
      coalesceWrites(socket);
      sockets.set(session.id, socket);
      // Renegotiation (TLS 1.2) is refused on every port: an attacker's cheap request costs us a handshake
      // (CVE-2011-1473), and nothing a client needs depends on it. TLS 1.3 has none.
      (socket as TLSSocket).disableRenegotiation();
      const ticket = gate.bind(session);
      if (ticket !== null) gate.secured(ticket, socket);
      toCallback(ctx, 'secure', () => onSecure(session), done);
    },
    onAuth: (auth, session, done) => toCallback(ctx, 'auth', () => onAuth(ctx, auth, session), clocked(session, done)),
    onMailFrom: (address, session, done) =>
      toCallback(ctx, 'mail', () => onMailFrom(ctx, address, session), heldUntil(session, clocked(session, done))),
    onRcptTo: (address, session, done) =>
      toCallback(ctx, 'rcpt', () => onRcptTo(ctx, address, session), heldUntil(session, clocked(session, done))),
    onData: (stream, session, done) => toCallback(ctx, 'data', () => onData(ctx, stream, session), dataClocked(stream, session, done)),
    onClose: (session) => {
      const ticket = ticketOf(session);
      if (ticket !== null) gate.release(ticket);
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
  listener.gate.close();
  return new Promise((resolve) => listener.server.close(() => resolve()));
}
