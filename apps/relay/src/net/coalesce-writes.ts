import type { Socket } from 'node:net';
import type { Redis } from 'ioredis';

const coalescing = new WeakSet<Socket>();
/** Sockets with a hold (holdWrites) and how many; those corked at a turn's end wait in `held` for the last release. */
const holds = new WeakMap<Socket, number>();
const held = new WeakSet<Socket>();
let corked: Socket[] = [];
let tasks: (() => void)[] = [];
let scheduled = false;

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(endTurn);
}

/** The end of a turn: batched writers write (into sockets still corked), then every socket is flushed once. */
function endTurn(): void {
  const due = tasks;
  tasks = [];
  for (const task of due) task();
  const sockets = corked;
  corked = [];
  scheduled = false;
  for (const socket of sockets) {
    if (holds.has(socket) && !socket.destroyed) held.add(socket);
    else socket.uncork();
  }
}

/**
 * Runs `task` at the end of this turn of the event loop, before the sockets coalesced below are flushed: a writer
 * that gathers a turn's worth of work (the event batches) writes it there, into the same system call as the rest
 * of the turn's writes. `task` must write synchronously and not throw.
 */
export function atTurnEnd(task: () => void): void {
  tasks.push(task);
  schedule();
}

/**
 * Makes every write to `socket` during one turn of the event loop leave in one system call: the first write of a
 * turn corks the socket, and it is uncorked when the loop reaches its check phase (setImmediate), after all I/O
 * callbacks of the turn ran. A write costs tens of microseconds of system call here, and a busy worker writes
 * from dozens of jobs per turn (one BullMQ script each on the shared Redis connection; message body and the
 * final dot on an SMTP session), so this is Nagle's algorithm in user space, without its delay: nothing waits
 * for a later turn or a timer.
 *
 * It replaces the socket's own `write` because the writers are libraries (ioredis, nodemailer) whose write calls
 * cannot be wrapped in cork()/uncork() where they are made. Idempotent per socket.
 */
export function coalesceWrites(socket: Socket): void {
  if (coalescing.has(socket)) return;
  coalescing.add(socket);
  const write = socket.write as (chunk: unknown, encoding?: unknown, callback?: unknown) => boolean;
  // Fixed parameters, not `...args` and Reflect.apply: this runs for every reply and every Redis command.
  socket.write = function coalescedWrite(this: Socket, chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    if (this.writableCorked === 0 && !this.destroyed) {
      this.cork();
      corked.push(this);
      schedule();
    }
    return write.call(this, chunk, encoding, callback);
  } as Socket['write'];
}

/**
 * Keeps what is written to `socket` (a coalesced one) from leaving, in this turn and later ones, until the returned
 * function is called; then it leaves at the end of that turn. An SMTP session holds its socket while a MAIL or RCPT
 * check waits for Redis, so the replies to a pipelined RSET, MAIL, RCPT… DATA group leave together, as RFC 2920
 * §3.2 asks of a server ("store responses to grouped RSET, MAIL FROM … and RCPT TO commands in an internal buffer
 * so they can be sent as a unit"), instead of the replies before the wait in one TLS record and the rest in another.
 * A client that does not pipeline loses nothing: it has no earlier reply outstanding while a command is checked.
 */
export function holdWrites(socket: Socket): () => void {
  holds.set(socket, (holds.get(socket) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (holds.get(socket) ?? 1) - 1;
    if (left > 0) {
      holds.set(socket, left);
      return;
    }
    holds.delete(socket);
    if (held.delete(socket)) {
      corked.push(socket);
      schedule();
    }
  };
}

/** The same for every socket an ioredis client opens (it opens a new one on each reconnect). */
export function coalesceRedisWrites(redis: Redis): void {
  redis.on('connect', () => coalesceWrites(redis.stream as Socket));
}
