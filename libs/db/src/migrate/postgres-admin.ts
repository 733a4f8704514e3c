import pg from 'pg';

/** Where CREATE/DROP DATABASE run from: every Postgres server has it. */
const MAINTENANCE_DATABASE = 'postgres';

export function databaseNameOf(databaseUrl: string): string {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
  if (!name) throw new Error('the database URL names no database');
  return name;
}

export function withDatabaseName(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The same server's maintenance database: somewhere to connect that always exists. */
export function maintenanceUrl(databaseUrl: string): string {
  return withDatabaseName(databaseUrl, MAINTENANCE_DATABASE);
}

/** Runs `fn` on a connection to the server's maintenance database, closed afterwards. */
export async function withAdminClient<T>(databaseUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: maintenanceUrl(databaseUrl) });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function databaseExists(admin: pg.Client, name: string): Promise<boolean> {
  const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  return rowCount === 1;
}

/**
 * Creates the database behind the URL when connecting to it says it does not exist. Trying the
 * database itself first means a role that may not connect to the maintenance database (common on
 * managed Postgres) can still migrate a database that exists.
 */
export async function createDatabaseIfMissing(databaseUrl: string): Promise<boolean> {
  const probe = new pg.Client({ connectionString: databaseUrl });
  try {
    await probe.connect();
    await probe.end();
    return false;
  } catch (error) {
    if ((error as { code?: string }).code !== '3D000') throw error; // invalid_catalog_name
  }
  return withAdminClient(databaseUrl, (admin) => ensureDatabase(admin, databaseNameOf(databaseUrl)));
}

/** Creates the database unless it exists; safe when another process races to create it. */
export async function ensureDatabase(admin: pg.Client, name: string): Promise<boolean> {
  if (await databaseExists(admin, name)) return false;
  try {
    await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === '42P04') return false; // duplicate_database
    throw error;
  }
}

/** Drops the database, ending any session still connected to it (Postgres 13+). */
export async function dropDatabase(admin: pg.Client, name: string): Promise<void> {
  if (await databaseExists(admin, name)) {
    await admin.query(`ALTER DATABASE ${quoteIdent(name)} IS_TEMPLATE false`);
  }
  await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
}
