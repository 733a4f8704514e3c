import type { Socket } from 'node:net';
import type { Redis } from 'ioredis';

const coalescing = new WeakSet<Socket>();
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
  for (const socket of sockets) socket.uncork();
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
  const write = socket.write;
  socket.write = function coalescedWrite(this: Socket, ...args: unknown[]): boolean {
    if (this.writableCorked === 0 && !this.destroyed) {
      this.cork();
      corked.push(this);
      schedule();
    }
    return Reflect.apply(write, this, args) as boolean;
  } as Socket['write'];
}

/** The same for every socket an ioredis client opens (it opens a new one on each reconnect). */
export function coalesceRedisWrites(redis: Redis): void {
  redis.on('connect', () => coalesceWrites(redis.stream as Socket));
}
