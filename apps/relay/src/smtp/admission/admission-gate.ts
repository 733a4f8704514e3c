import type { Logger } from '@smarthost/logger';
import ipaddr from 'ipaddr.js';
import type { Socket } from 'node:net';
import type { SMTPServer, SMTPServerSession } from 'smtp-server';
import type { ListenerKind } from '../session-state';
import type { AdmissionLimits } from './admission-config';
import { admissionDecision, bucketFull, takeToken, type AdmissionCaps, type RateBucket } from './admission-decision';
import { clientGroup } from './client-group';
import { edgeReplyLine, edgeText, type EdgeCut } from './edge-replies';
import { guardReplies } from './reply-guard';
import { missedDeadline } from './session-clock';
import { closePendingHandshake, connectionOf, takeConnectionHandler } from './smtp-server-internals';
import { Ticket } from './ticket';

interface GroupLoad {
  open: number;
  bucket: RateBucket;
}

/** A refused plaintext socket gets this long to take its 421 before it is destroyed. */
const REFUSAL_LINGER_MS = 1000;

/**
 * Admission per client on one listener: every accepted socket is counted from its first moment (TLS handshake
 * included) until it closes, per client group and per listener, and refused before smtp-server sees it when its
 * group, the listener or the unauthenticated share is full. One sweep a second cuts the sessions that missed a
 * deadline. On 465 nothing readable can be sent before the handshake, and a handshake is the costly part an
 * attacker wants: refused sockets there are closed without a reply (README "Limits at the edge").
 */
export class AdmissionGate {
  private readonly groups = new Map<string, GroupLoad>();
  private readonly tickets = new Map<string, Ticket>();
  private open = 0;
  private unauthenticated = 0;
  private readonly caps: AdmissionCaps;
  private readonly timer: NodeJS.Timeout;
  private server: SMTPServer | null = null;

  constructor(
    private readonly kind: ListenerKind,
    private readonly limits: AdmissionLimits,
    private readonly hostname: string,
    private readonly logger: Logger,
  ) {
    this.caps = {
      maxClients: limits.maxClients,
      perClient: limits.perClient,
      // Port 25 never authenticates: there the per-client share is what keeps one address from taking all.
      unauthenticated: kind === 'inbound' ? limits.maxClients : Math.max(1, Math.floor(limits.maxClients * limits.unauthenticatedShare)),
    };
    const smallest = Math.min(limits.handshakeMs, limits.lineMs, limits.unauthenticatedIdleMs, limits.sessionMs);
    this.timer = setInterval(() => this.sweep(), Math.max(50, Math.min(1000, smallest / 4)));
    this.timer.unref();
  }

  /** Puts the gate in front of smtp-server; `admitted` runs for each socket that may start a session. */
  install(server: SMTPServer, admitted: (socket: Socket) => void): void {
    const handle = takeConnectionHandler(server);
    this.server = server;
    server.server.on('connection', (socket: Socket) => {
      if (this.admit(socket)) {
        admitted(socket);
        handle(socket);
      }
    });
  }

  /** The ticket of a session smtp-server started, found by the client's address and port. */
  bind(session: SMTPServerSession): Ticket | null {
    const ticket = this.tickets.get(socketKey(session.remoteAddress, session.remotePort));
    if (ticket === undefined || this.server === null) return null;
    if (ticket.sessionId !== null) return ticket;
    ticket.inSession = true;
    ticket.sessionId = session.id;
    const connection = connectionOf(this.server, session.id);
    if (connection !== undefined) {
      guardReplies(connection, session, ticket, { kind: this.kind, maxBadCommands: this.limits.maxBadCommands, cut: (t, cut) => this.cut(t, cut) });
    }
    return ticket;
  }

  /** The TLS socket of a session (465, or after STARTTLS): its cleartext is what the clock observes now. */
  secured(ticket: Ticket, socket: Socket): void {
    socket.on('data', ticket.observe);
    socket.once('close', () => this.release(ticket));
  }

  release(ticket: Ticket): void {
    if (ticket.released) return;
    ticket.released = true;
    this.tickets.delete(ticket.key);
    this.open -= 1;
    if (!ticket.authenticated) this.unauthenticated -= 1;
    const group = this.groups.get(ticket.group);
    if (group !== undefined) group.open -= 1;
  }

  close(): void {
    clearInterval(this.timer);
  }

  private admit(socket: Socket): boolean {
    const address = socket.remoteAddress ?? '';
    const groupKey = clientGroup(address, this.limits);
    const now = Date.now();
    let group = this.groups.get(groupKey);
    if (group === undefined) {
      group = { open: 0, bucket: { tokens: this.limits.perClientPerMinute, at: now } };
      this.groups.set(groupKey, group);
    }
    const load = {
      open: this.open,
      unauthenticated: this.unauthenticated,
      clientOpen: group.open,
      clientTokenTaken: takeToken(group.bucket, now, this.limits.perClientPerMinute),
    };
    const refusal = admissionDecision(load, this.caps);
    if (refusal !== null) {
      this.refuse(socket, groupKey, refusal);
      return false;
    }
    const ticket = new Ticket(socketKey(address, socket.remotePort ?? 0), groupKey, socket, now, (t) => {
      if (!t.released) this.unauthenticated -= 1;
    });
    this.tickets.set(ticket.key, ticket);
    this.open += 1;
    this.unauthenticated += 1;
    group.open += 1;
    // On 465 the raw socket carries TLS records: the clock observes the TLS socket once there is one.
    if (this.kind !== 'submissions') socket.on('data', ticket.observe);
    socket.once('close', () => this.release(ticket));
    return true;
  }

  private refuse(socket: Socket, group: string, cut: EdgeCut): void {
    this.logger.info({ listener: this.kind, clientIp: socket.remoteAddress, clientGroup: group, refusal: cut }, 'smtp connection refused');
    socket.on('error', () => undefined);
    if (this.kind === 'submissions') {
      socket.destroy();
      return;
    }
    socket.end(edgeReplyLine(cut, this.hostname));
    setTimeout(() => socket.destroy(), REFUSAL_LINGER_MS).unref();
  }

  private sweep(): void {
    const now = Date.now();
    for (const ticket of this.tickets.values()) {
      if (ticket.cut) continue;
      const missed = missedDeadline(ticket, now, this.limits);
      if (missed !== null) this.cut(ticket, missed);
    }
    for (const [key, group] of this.groups) {
      if (group.open === 0 && bucketFull(group.bucket, now, this.limits.perClientPerMinute)) this.groups.delete(key);
    }
  }

  /** Ends a session with its reason (421: smtp-server closes after it), or a socket still before its session. */
  cut(ticket: Ticket, cut: EdgeCut): void {
    ticket.cut = true;
    this.logger.info({ listener: this.kind, clientIp: ticket.socket.remoteAddress, sessionId: ticket.sessionId, cut }, 'smtp session cut');
    if (this.server === null) return;
    if (ticket.sessionId !== null) {
      const connection = connectionOf(this.server, ticket.sessionId);
      if (connection !== undefined) return connection.send(421, edgeText(cut));
    }
    if (this.kind === 'submissions') {
      // Not pending any more: smtp-server is starting the session, the next sweep finds it bound.
      if (!closePendingHandshake(this.server, ticket.socket)) ticket.cut = false;
      return;
    }
    ticket.socket.destroy();
  }
}

function socketKey(address: string, port: number): string {
  let normal = address;
  try {
    normal = ipaddr.process(address).toString();
  } catch {
    // kept as given: still a key, never a match for another client
  }
  return `${normal}:${port}`;
}
