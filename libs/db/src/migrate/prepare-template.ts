import type pg from 'pg';
import { withSchemaEngine } from './engine-session';
import { migrationsChecksum, readMigrations } from './migrations-folder';
import { dropDatabase, quoteIdent, quoteLiteral, withAdminClient, withDatabaseName } from './postgres-admin';
import type { MigrationsOptions } from './options';
import { resolvePrismaPaths } from './prisma-paths';
import { NO_FILTER } from './schema-diff';

export const DEFAULT_TEMPLATE_DATABASE = 'smarthost_template';
const MARKER_PREFIX = 'smarthost migrations sha256=';

export interface TemplateOptions extends MigrationsOptions {
  templateName?: string;
}

export interface TemplateResult {
  templateName: string;
  checksum: string;
  /** False when the template already matched the migrations and was left alone. */
  rebuilt: boolean;
}

/**
 * Builds the database that test files clone (`CREATE DATABASE … TEMPLATE …`) from the migrations,
 * unless it was already built from exactly these migrations: the checksum of the migrations folder
 * is kept as the template's COMMENT. When this returns, nothing is connected to the template, which
 * Postgres requires for cloning it.
 */
export async function prepareTemplateDatabase(serverUrl: string, options: TemplateOptions = {}): Promise<TemplateResult> {
  const templateName = options.templateName ?? DEFAULT_TEMPLATE_DATABASE;
  const migrationsList = await readMigrations(resolvePrismaPaths(options).migrationsDir);
  const checksum = migrationsChecksum(migrationsList);
  const marker = `${MARKER_PREFIX}${checksum}`;
  return withAdminClient(serverUrl, async (admin) => {
    // Test runners start in parallel; one builds, the others wait and then find it ready.
    // The lock is the session's, released when the admin connection closes.
    await admin.query("SELECT pg_advisory_lock(hashtext('smarthost template ' || $1))", [templateName]);
    if ((await recordedMarker(admin, templateName)) === marker) return { templateName, checksum, rebuilt: false };
    await dropDatabase(admin, templateName);
    await admin.query(`CREATE DATABASE ${quoteIdent(templateName)}`);
    await withSchemaEngine(
      withDatabaseName(serverUrl, templateName),
      (engine) => engine.applyMigrations({ migrationsList, filters: NO_FILTER }),
      options,
    );
    await admin.query(`COMMENT ON DATABASE ${quoteIdent(templateName)} IS ${quoteLiteral(marker)}`);
    await admin.query(`ALTER DATABASE ${quoteIdent(templateName)} IS_TEMPLATE true`);
    return { templateName, checksum, rebuilt: true };
  });
}

async function recordedMarker(admin: pg.Client, name: string): Promise<string | null> {
  const { rows } = await admin.query<{ marker: string | null }>(
    "SELECT shobj_description(oid, 'pg_database') AS marker FROM pg_database WHERE datname = $1",
    [name],
  );
  return rows[0]?.marker ?? null;
}
