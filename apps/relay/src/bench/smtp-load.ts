import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

/**
 * A Node SMTP load generator (smtp-source cannot AUTH): N persistent connections, each EHLO, STARTTLS, EHLO,
 * AUTH PLAIN once, then MAIL/RCPT/DATA pipelined (RFC 2920: DATA last in the group), the message, and RSET
 * pipelined in front of the next transaction. Bounded by a message count shared by all connections and by a
 * deadline. The clock starts once every connection is authenticated, so the rate is the steady state; the
 * latency is from writing the end-of-data `.` to reading the 250.
 */
export interface LoadOptions {
  host: string;
  port: number;
  connections: number;
  messages: number;
  timeoutMs: number;
  username: string;
  password: string;
  mailFrom: string;
  /** Recipient of message i. */
  rcptTo: (index: number) => string;
  /** The message, CRLF line ends, dot-stuffed, ending in CRLF (the `.` line is added here). */
  message: Buffer;
}

export interface LoadResult {
  accepted: number;
  refused: Record<string, number>;
  seconds: number;
  /** end-of-DATA → 250, in ms, one per accepted message. */
  latencies: Float64Array;
  timedOut: boolean;
  /** CPU the load generator's own process used during the timed part, ms. */
  clientCpuMs: number;
  errors: string[];
}

interface Reply {
  code: number;
  text: string;
}

/** Reads SMTP replies (multi-line aware) off one socket and hands them to waiters in order. */
class ReplyReader {
  private buffer = '';
  private lines: string[] = [];
  private readonly replies: Reply[] = [];
  private readonly waiters: Array<{ count: number; resolve: (replies: Reply[]) => void; reject: (error: Error) => void }> = [];
  private failure: Error | undefined;

  attach(socket: Socket | TLSSocket): void {
    socket.on('data', (chunk: Buffer) => this.feed(chunk.toString('latin1')));
  }

  fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }

  next(count = 1): Promise<Reply[]> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiters.push({ count, resolve, reject });
      this.drain();
    });
  }

  private feed(text: string): void {
    this.buffer += text;
    let at: number;
    while ((at = this.buffer.indexOf('\r\n')) >= 0) {
      const line = this.buffer.slice(0, at);
      this.buffer = this.buffer.slice(at + 2);
      this.lines.push(line);
      if (line.length < 4 || line[3] !== '-') {
        this.replies.push({ code: Number(line.slice(0, 3)), text: this.lines.join('\n') });
        this.lines = [];
      }
    }
    this.drain();
  }

  private drain(): void {
    while (this.waiters.length > 0 && this.replies.length >= (this.waiters[0] as { count: number }).count) {
      const waiter = this.waiters.shift() as (typeof this.waiters)[number];
      waiter.resolve(this.replies.splice(0, waiter.count));
    }
  }
}

function expect(reply: Reply | undefined, code: number, step: string): void {
  if (reply?.code !== code) throw new Error(`${step}: expected ${code}, got ${reply?.text ?? 'nothing'}`);
}

interface Session {
  socket: TLSSocket;
  reader: ReplyReader;
}

async function openSession(options: LoadOptions, index: number): Promise<Session> {
  const plain = netConnect(options.port, options.host);
  plain.setNoDelay(true);
  const reader = new ReplyReader();
  reader.attach(plain);
  plain.on('error', (error) => reader.fail(error));
  plain.on('close', () => reader.fail(new Error('connection closed')));
  expect((await reader.next())[0], 220, 'greeting');
  plain.write(`EHLO load${index}.bench.test\r\n`);
  expect((await reader.next())[0], 250, 'EHLO');
  plain.write('STARTTLS\r\n');
  expect((await reader.next())[0], 220, 'STARTTLS');
  plain.removeAllListeners('data');
  plain.removeAllListeners('close');
  const socket = await new Promise<TLSSocket>((resolve, reject) => {
    const tls = tlsConnect({ socket: plain, rejectUnauthorized: false, servername: 'relay.bench.test' }, () => resolve(tls));
    tls.once('error', reject);
  });
  const secure = new ReplyReader();
  secure.attach(socket);
  socket.on('error', (error) => secure.fail(error));
  socket.on('close', () => secure.fail(new Error('connection closed')));
  socket.write(`EHLO load${index}.bench.test\r\n`);
  const ehlo = (await secure.next())[0];
  expect(ehlo, 250, 'EHLO after STARTTLS');
  if (!/PIPELINING/.test(ehlo?.text ?? '')) throw new Error('server does not offer PIPELINING');
  socket.write(`AUTH PLAIN ${Buffer.from(`\0${options.username}\0${options.password}`).toString('base64')}\r\n`);
  expect((await secure.next())[0], 235, 'AUTH');
  return { socket, reader: secure };
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const errors: string[] = [];
  const sessions = await Promise.all(Array.from({ length: options.connections }, (_, i) => openSession(options, i)));
  const latencies = new Float64Array(options.messages);
  const refused: Record<string, number> = {};
  let next = 0;
  let accepted = 0;
  let timedOut = false;
  const body = Buffer.concat([options.message, Buffer.from('.\r\n')]);
  const cpuStart = process.cpuUsage();
  const started = process.hrtime.bigint();
  const deadline = Date.now() + options.timeoutMs;

  const loop = async ({ socket, reader }: Session) => {
    let first = true;
    for (;;) {
      if (Date.now() > deadline) {
        timedOut = true;
        break;
      }
      const index = next++;
      if (index >= options.messages) break;
      const envelope = `${first ? '' : 'RSET\r\n'}MAIL FROM:<${options.mailFrom}>\r\nRCPT TO:<${options.rcptTo(index)}>\r\nDATA\r\n`;
      socket.write(envelope);
      const replies = await reader.next(first ? 3 : 4);
      first = false;
      const data = replies[replies.length - 1];
      if (data?.code !== 354) {
        const bad = replies.find((reply) => reply.code >= 400) ?? data;
        const key = String(bad?.code ?? 'none');
        refused[key] = (refused[key] ?? 0) + 1;
        if (errors.length < 5) errors.push(bad?.text ?? 'no reply');
        continue;
      }
      const t0 = process.hrtime.bigint();
      socket.write(body);
      const [reply] = await reader.next();
      if (reply?.code === 250) latencies[accepted++] = Number(process.hrtime.bigint() - t0) / 1e6;
      else {
        const key = String(reply?.code ?? 'none');
        refused[key] = (refused[key] ?? 0) + 1;
        if (errors.length < 5) errors.push(reply?.text ?? 'no reply');
      }
    }
  };
  await Promise.all(
    sessions.map((session) =>
      loop(session).catch((error: unknown) => {
        if (errors.length < 5) errors.push(error instanceof Error ? error.message : String(error));
      }),
    ),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  await Promise.all(
    sessions.map(async ({ socket, reader }) => {
      if (socket.destroyed) return;
      socket.write('QUIT\r\n');
      await Promise.race([reader.next().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1000))]);
      socket.destroy();
    }),
  );
  return { accepted, refused, seconds, latencies: latencies.slice(0, accepted), timedOut, clientCpuMs: (cpu.user + cpu.system) / 1000, errors };
}

export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}
