import { POLICY_SCHEMA_VERSION, type PolicyEntityKind, type PolicySnapshot } from '@smarthost/relay-policy';
import type { Pool, PoolClient, QueryResult } from 'pg';
import { type DocumentPage, documentPageQuery, FIRST_ID } from './policy-documents';

/** Where a snapshot is written: an HTTP response, or a counter in a benchmark. */
export interface SnapshotSink {
  /** Called once, before the first write, with the version the snapshot is at. */
  begin(version: number): void;
  /** Resolves when the sink can take more (back-pressure). */
  write(chunk: string): Promise<void>;
}

type Section = Exclude<keyof PolicySnapshot, 'schemaVersion' | 'version' | 'generatedAt'>;

/** The largest section: split in two id ranges, each read on its own connection (see writeSnapshot). */
const SPLIT: [Section, PolicyEntityKind] = ['credentials', 'credential'];
const BUFFERED: [Section, PolicyEntityKind][] = [
  ['tenants', 'tenant'],
  ['domains', 'domain'],
  ['inboundRoutes', 'inboundRoute'],
  ['suppressions', 'suppression'],
];

/** Connections one snapshot reads on, at the same time. */
const CONNECTIONS = 3;

export interface SnapshotOptions {
  /** Rows per query: large enough to amortise round trips, small enough to keep memory flat. */
  pageSize?: number;
  /** Longest a read transaction may sit idle (a stalled client), after which Postgres ends it. */
  idleTimeoutMs?: number;
}

/**
 * Writes the whole policy as one `PolicySnapshot` JSON document, exactly as of one version: all connections read
 * in REPEATABLE READ transactions sharing one exported snapshot, and with the commit ordering of the change log
 * (policy-changes.ts) a node that applies the deltas after this version misses nothing.
 *
 * Building the JSON is Postgres CPU work (about 1.8 s for 100,000 tenants, 100,000 domains and 300,000 credentials
 * on one core), so it is spread over three connections: the credentials, the largest section, in two id ranges
 * split at their median (from the planner's statistics; any split is correct, a good one is faster), and the other
 * sections on the third. The first credential range streams straight to the sink; the rest is held until then.
 */
export async function writeSnapshot(pool: Pool, sink: SnapshotSink, options: SnapshotOptions = {}): Promise<number> {
  const pageSize = options.pageSize ?? 10_000;
  const clients = await connectAll(pool, CONNECTIONS);
  const [main, low, high] = clients as [PoolClient, PoolClient, PoolClient];
  try {
    const version = await beginSharedSnapshot(main, [low, high], options.idleTimeoutMs ?? 60_000);
    const split = await medianId(main, 'smtp_credentials');
    sink.begin(version);
    const generatedAt = JSON.stringify(new Date().toISOString());
    await sink.write(`{"schemaVersion":${POLICY_SCHEMA_VERSION},"version":${version},"generatedAt":${generatedAt},"${SPLIT[0]}":[`);
    let separator = '';
    const upper: string[] = [];
    const [, , buffered] = await Promise.all([
      readRange(low, SPLIT[1], pageSize, FIRST_ID, split, (json) => {
        const chunk = separator + json;
        separator = ',';
        return sink.write(chunk);
      }),
      split === null ? undefined : readRange(high, SPLIT[1], pageSize, split, null, async (json) => void upper.push(json)),
      bufferSections(main, BUFFERED, pageSize),
    ]);
    for (const json of upper) {
      await sink.write(separator + json);
      separator = ',';
    }
    upper.length = 0;
    await sink.write(']');
    for (const chunk of buffered) await sink.write(chunk);
    await sink.write('}');
    await Promise.all(clients.map((client) => client.query('COMMIT')));
    for (const client of clients) client.release();
    return version;
  } catch (error) {
    // Destroying the connections ends their transactions; they never go back to the pool mid-transaction.
    for (const client of clients) client.release(true);
    throw error;
  }
}

const acquiring = new WeakMap<Pool, Promise<unknown>>();

/**
 * Takes `count` connections for one snapshot, one snapshot at a time: were they taken one by one, concurrent
 * snapshots (a fleet of nodes starting together) could each hold some and wait for the rest forever.
 */
function connectAll(pool: Pool, count: number): Promise<PoolClient[]> {
  const taken = (acquiring.get(pool) ?? Promise.resolve()).then(async () => {
    const clients: PoolClient[] = [];
    try {
      for (let i = 0; i < count; i += 1) clients.push(await pool.connect());
      return clients;
    } catch (error) {
      for (const client of clients) client.release();
      throw error;
    }
  });
  acquiring.set(pool, taken.catch(() => undefined));
  return taken;
}

/** Starts all transactions on the same database snapshot and returns the policy version it contains. */
async function beginSharedSnapshot(main: PoolClient, others: PoolClient[], idleTimeoutMs: number): Promise<number> {
  const begin = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';
  const idle = `SET LOCAL idle_in_transaction_session_timeout = ${Math.trunc(idleTimeoutMs)}`;
  await main.query(begin);
  await main.query(idle);
  const exported = await main.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
  const snapshotId = exported.rows[0]?.id ?? '';
  if (!/^[0-9A-F-]+$/i.test(snapshotId)) throw new Error('pg_export_snapshot returned an unexpected id');
  await Promise.all(
    others.map(async (other) => {
      await other.query(begin);
      // SET TRANSACTION SNAPSHOT takes no bind parameters; the id was checked to be hex and dashes above.
      await other.query(`SET TRANSACTION SNAPSHOT '${snapshotId}'`);
      await other.query(idle);
    }),
  );
  const result = await main.query<{ version: string }>('SELECT coalesce(max(version), 0)::text AS version FROM policy_changes');
  return Number(result.rows[0]?.version ?? 0);
}

/**
 * About the median id of a table, from the planner's histogram (no table read); null without statistics. The
 * histogram's bounds are sorted as the column's type sorts, so its middle bound splits the rows about in half.
 */
async function medianId(client: PoolClient, table: string): Promise<string | null> {
  const result = await client.query<{ id: string | null }>(
    `SELECT (b.bounds)[(array_length(b.bounds, 1) + 1) / 2] AS id
       FROM (SELECT histogram_bounds::text::text[] AS bounds FROM pg_stats
              WHERE schemaname = current_schema() AND tablename = $1 AND attname = 'id') b`,
    [table],
  );
  const id = result.rows[0]?.id ?? null;
  return id !== null && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) ? id : null;
}

async function bufferSections(client: PoolClient, sections: [Section, PolicyEntityKind][], pageSize: number): Promise<string[]> {
  const chunks: string[] = [];
  for (const section of sections) {
    await writeSection(client, section, pageSize, async (chunk) => void chunks.push(chunk));
  }
  return chunks;
}

/** `,"key":[...]` read page by page in id order: each page is a range scan of the primary key. */
async function writeSection(
  client: PoolClient,
  [key, kind]: [Section, PolicyEntityKind],
  pageSize: number,
  write: (chunk: string) => Promise<void>,
): Promise<void> {
  await write(`,"${key}":[`);
  let separator = '';
  await readRange(client, kind, pageSize, FIRST_ID, null, async (json) => {
    await write(separator + json);
    separator = ',';
  });
  await write(']');
}

/**
 * The documents with ids in (afterId, upTo] (no upper bound if null), a page at a time, each page's joined by ','.
 * The next page is asked for before this one is handed on, so Postgres builds it while a slow sink (a socket
 * draining) takes this one: at most two pages are held.
 */
async function readRange(
  client: PoolClient,
  kind: PolicyEntityKind,
  pageSize: number,
  afterId: string,
  upTo: string | null,
  page: (json: string) => Promise<void>,
): Promise<void> {
  const read = (after: string) => {
    const query = documentPageQuery(kind, after, pageSize, upTo);
    return client.query<DocumentPage>(query.text, query.values);
  };
  let pending: Promise<QueryResult<DocumentPage>> | null = read(afterId);
  while (pending !== null) {
    const rows: DocumentPage | undefined = (await pending).rows[0];
    if (!rows || rows.count === 0) return;
    const next: string | null = rows.count === pageSize ? rows.lastId : null;
    pending = next === null ? null : read(next);
    try {
      await page(rows.json);
    } catch (error) {
      // The read ahead may fail too once the caller gives up (it destroys the connection): nobody waits for it.
      pending?.catch(() => undefined);
      throw error;
    }
  }
}
