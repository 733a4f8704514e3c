import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';

export const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_TEMPLATE_DB = 'smarthost_template';

export interface TestDatabase {
  /** Connection URL of the new database, on the admin URL's server. */
  url: string;
  name: string;
  /** Drops the database, ending any connection a test left open. */
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Database to clone; defaults to env SMARTHOST_TEST_TEMPLATE_DB, then `smarthost_template`. */
  template?: string;
  /** A superuser connection; defaults to env DATABASE_ADMIN_URL, then the local postgres user. */
  adminUrl?: string;
  /** How long to keep retrying while the template is busy. */
  busyTimeoutMs?: number;
}

// SQLSTATE 55006 object_in_use: "source database is being accessed by other users".
const OBJECT_IN_USE = '55006';

/**
 * A fresh database per test file, cloned from a migrated template: a file-level copy, far faster
 * than running migrations each time.
 */
export async function testDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const adminUrl = options.adminUrl ?? process.env.DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL;
  const template = options.template ?? process.env.SMARTHOST_TEST_TEMPLATE_DB ?? DEFAULT_TEMPLATE_DB;
  const name = `smarthost_test_${process.pid}_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (admin) =>
    createFromTemplate(admin, name, template, Date.now() + (options.busyTimeoutMs ?? 15_000)),
  );
  return {
    url: databaseUrl(adminUrl, name),
    name,
    drop: () =>
      withAdmin(adminUrl, async (admin) => {
        // FORCE (Postgres 13+) ends sessions a test leaked, which would otherwise block the drop.
        await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`);
      }),
  };
}

/**
 * Postgres refuses to copy a template while any other session is connected to it (the copy
 * must be consistent): CREATE DATABASE itself waits up to 5 s for such sessions, then fails with
 * 55006. They are short-lived (a migrator or an inspection just finishing), so retry until the
 * deadline instead of failing the whole test file.
 */
async function createFromTemplate(admin: Client, name: string, template: string, deadline: number): Promise<void> {
  const sql = `CREATE DATABASE ${admin.escapeIdentifier(name)} TEMPLATE ${admin.escapeIdentifier(template)}`;
  for (let delayMs = 50; ; delayMs = Math.min(delayMs * 2, 500)) {
    try {
      await admin.query(sql);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== OBJECT_IN_USE || Date.now() + delayMs > deadline) throw error;
      await sleep(delayMs);
    }
  }
}

async function withAdmin<T>(adminUrl: string, work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}
