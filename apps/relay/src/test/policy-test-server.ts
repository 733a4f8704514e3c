import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  POLICY_SCHEMA_VERSION,
  PolicyIndex,
  type PolicyChange,
  type PolicyDelta,
  type PolicySnapshot,
} from '@smarthost/relay-policy';

export const TEST_NODE_TOKEN = 'test-node-token-0123456789abcdef';

/**
 * A real HTTP stand-in for the API's relay routes (same paths, bearer auth and status codes), whose policy
 * the test changes with `push`. Long-polls are answered as soon as a change is pushed.
 */
export class PolicyTestServer {
  readonly heartbeats: unknown[] = [];
  private index: PolicyIndex;
  private readonly deltas: PolicyDelta[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  private port = 0;
  /** Versions below this answer 410 (as if the API pruned its change log). */
  oldestRetained = 0;

  constructor(snapshot: PolicySnapshot) {
    this.index = PolicyIndex.fromSnapshot(snapshot);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get version(): number {
    return this.index.version;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => this.handle(req, res));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  /** Goes away like a crashed API: the port refuses connections and open long-polls are cut. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    for (const wake of this.waiters) wake();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Applies the changes as one new policy version and wakes every waiting long-poll. */
  push(...changes: PolicyChange[]): PolicyDelta {
    const delta: PolicyDelta = {
      schemaVersion: POLICY_SCHEMA_VERSION,
      fromVersion: this.index.version,
      toVersion: this.index.version + 1,
      generatedAt: new Date().toISOString(),
      changes,
    };
    this.index.applyDelta(delta);
    this.deltas.push(delta);
    for (const wake of this.waiters) wake();
    return delta;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (req.headers.authorization !== `Bearer ${TEST_NODE_TOKEN}`) return json(res, 401, { error: 'unauthorized' });
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/v1/relay/policy') return json(res, 200, this.index.toSnapshot());
    if (req.method === 'GET' && url.pathname === '/v1/relay/policy/changes') return void this.changes(url, res);
    if (req.method === 'POST' && url.pathname === '/v1/relay/heartbeat') return this.heartbeat(req, res);
    json(res, 404, { error: 'not found' });
  }

  private async changes(url: URL, res: ServerResponse): Promise<void> {
    const since = Number(url.searchParams.get('since'));
    const wait = Math.min(Number(url.searchParams.get('wait') ?? 0), 60);
    if (!Number.isInteger(since) || since < 0) return json(res, 400, { error: 'since' });
    if (since < this.oldestRetained || since > this.version) return json(res, 410, { error: 'gone' });
    if (since === this.version) await this.waitForChange(wait * 1000);
    if (this.server === undefined) return void res.destroy();
    if (since === this.version) return void res.writeHead(204).end();
    const later = this.deltas.filter((d) => d.fromVersion >= since);
    if (later[0]?.fromVersion !== since) return json(res, 410, { error: 'gone' });
    json(res, 200, {
      schemaVersion: POLICY_SCHEMA_VERSION,
      fromVersion: since,
      toVersion: this.version,
      generatedAt: new Date().toISOString(),
      changes: later.flatMap((d) => d.changes),
    });
  }

  private waitForChange(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  private heartbeat(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      this.heartbeats.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(204).end();
    });
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
