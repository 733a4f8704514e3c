import type { Socket } from 'node:net';
import type { SMTPServer } from 'smtp-server';

/**
 * The few parts of smtp-server 3.21 (pinned) the edge needs and its API does not offer, in one place, each checked
 * when a listener is built so an upgrade that changes them fails at start-up, not under attack.
 */
export interface ServerConnection {
  id: string;
  /** smtp-server's one write site; a 421 also closes the connection. */
  send(code: number, data?: string | string[], context?: unknown): void;
}

interface Internals {
  connections: Set<ServerConnection>;
  /** Accepted sockets whose implicit-TLS handshake still runs, mapped to the TLS socket on top of them. */
  _pendingSockets: Map<Socket, Socket>;
}

function internals(server: SMTPServer): Internals {
  return server as unknown as Internals;
}

/**
 * Takes smtp-server's handler of accepted sockets off its net.Server, so the gate decides before smtp-server
 * creates a session, a parser, timers or a TLS socket for the connection.
 */
export function takeConnectionHandler(server: SMTPServer): (socket: Socket) => void {
  const handlers = server.server.listeners('connection') as ((socket: Socket) => void)[];
  const [handler] = handlers;
  if (handlers.length !== 1 || handler === undefined) throw new Error('smtp-server: expected exactly one connection handler');
  if (!(internals(server).connections instanceof Set) || !(internals(server)._pendingSockets instanceof Map)) {
    throw new Error('smtp-server: connection bookkeeping not found');
  }
  server.server.removeAllListeners('connection');
  return (socket) => handler.call(server.server, socket);
}

/** The session's connection object, to reply and close through smtp-server (it knows about a running upgrade). */
export function connectionOf(server: SMTPServer, sessionId: string): ServerConnection | undefined {
  for (const connection of internals(server).connections) if (connection.id === sessionId) return connection;
  return undefined;
}

/**
 * Closes a socket whose implicit-TLS handshake has not finished. The TLS socket on top is destroyed, never the
 * socket under it: tearing the TCP socket away under a running handshake crashes Node 20 (verified, SIGSEGV).
 * Returns false when smtp-server no longer holds the socket as pending (the session is about to start).
 */
export function closePendingHandshake(server: SMTPServer, socket: Socket): boolean {
  const top = internals(server)._pendingSockets.get(socket);
  if (top === undefined) return false;
  top.destroy();
  return true;
}
