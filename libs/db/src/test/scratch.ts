import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { defaultPrismaPaths } from '../migrate/prisma-paths';
import type { CliOutput } from '../migrate/run-cli';
import { dropDatabase, withAdminClient, withDatabaseName } from '../migrate/postgres-admin';

/** The local Postgres server the tests create their throwaway databases on. */
export const SERVER_URL = process.env['SMARTHOST_TEST_PG_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface ScratchProject {
  schemaPath: string;
  migrationsDir: string;
  /** A database name nobody else uses; dropped by cleanup(). */
  database(label: string): string;
  url(database: string): string;
  cleanup(): Promise<void>;
}

/** A temporary copy of the workspace's prisma folder, plus the databases a test makes. */
export async function scratchProject(): Promise<ScratchProject> {
  const dir = await mkdtemp(join(tmpdir(), 'smarthost-db-test-'));
  const real = defaultPrismaPaths();
  const schemaPath = join(dir, 'schema.prisma');
  const migrationsDir = join(dir, 'migrations');
  await cp(real.schemaPath, schemaPath);
  await cp(real.migrationsDir, migrationsDir, { recursive: true });
  const databases: string[] = [];
  return {
    schemaPath,
    migrationsDir,
    database(label) {
      const name = `smarthost_test_${label}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
      databases.push(name);
      return name;
    },
    url: (database) => withDatabaseName(SERVER_URL, database),
    async cleanup() {
      await withAdminClient(SERVER_URL, async (admin) => {
        for (const name of databases) await dropDatabase(admin, name);
      });
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function query<R extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

export async function tableNames(url: string): Promise<string[]> {
  const rows = await query<{ name: string }>(url, "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
  return rows.map((row) => row.name);
}

/** Sessions open on a database; cloning it needs none. */
export async function connectionCount(database: string): Promise<number> {
  const rows = await query<{ n: number }>(SERVER_URL, 'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [database]);
  return rows[0]?.n ?? -1;
}

/** Stands in for the terminal when a test drives the CLI. */
export class CapturedOutput implements CliOutput {
  stdout = '';
  stderr = '';
  out(text: string): void {
    this.stdout += text;
  }
  err(text: string): void {
    this.stderr += text;
  }
}
