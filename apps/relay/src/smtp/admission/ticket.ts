import type { Socket } from 'node:net';
import type { SessionClock } from './session-clock';

const LF = 0x0a;

/** One admitted connection: its place in the gate's counts and the clock its deadlines are read from. */
export class Ticket implements SessionClock {
  readonly acceptedAt: number;
  inSession = false;
  authenticated = false;
  lastInputAt: number;
  lineStartedAt = 0;
  dataStartedAt = 0;
  dataBytes = 0;
  busy = 0;
  /** Bad or unknown commands answered before AUTH. */
  badCommands = 0;
  sessionId: string | null = null;
  /** Set once a deadline or limit cut the session, so it is cut once. */
  cut = false;
  released = false;
  private deciding = false;

  constructor(
    readonly key: string,
    readonly group: string,
    readonly socket: Socket,
    now: number,
    private readonly onAuthenticated: (ticket: Ticket) => void,
  ) {
    this.acceptedAt = now;
    this.lastInputAt = now;
  }

  /**
   * A 'data' listener beside smtp-server's parser: input bytes only, never consumed. Per chunk a look at its
   * last LF (from the end, so a chunk ending a line costs one comparison) tells whether a line is still open.
   */
  readonly observe = (chunk: Buffer): void => {
    const now = Date.now();
    this.lastInputAt = now;
    if (this.dataStartedAt !== 0) this.dataBytes += chunk.length;
    const lastLf = chunk.lastIndexOf(LF);
    if (lastLf === chunk.length - 1) this.lineStartedAt = 0;
    else if (lastLf !== -1 || this.lineStartedAt === 0) this.lineStartedAt = now;
  };

  /** A handler starts deciding: no client deadline runs until it answers. */
  begin(): void {
    this.busy += 1;
  }

  /** The handler answered: the client's clock starts again from now. */
  end(): void {
    this.busy -= 1;
    this.lastInputAt = Date.now();
  }

  /** DATA (354) until its final dot: the minimum transfer rate applies. */
  startData(): void {
    this.dataStartedAt = Date.now();
    this.dataBytes = 0;
  }

  /** The final dot arrived; the message is being decided. */
  endData(): void {
    this.dataStartedAt = 0;
    this.deciding = true;
    this.busy += 1;
  }

  /** DATA answered, or given up because the client went away before its end. */
  dataAnswered(): void {
    this.dataStartedAt = 0;
    if (!this.deciding) return;
    this.deciding = false;
    this.end();
  }

  authenticate(): void {
    if (this.authenticated) return;
    this.authenticated = true;
    this.onAuthenticated(this);
  }
}
