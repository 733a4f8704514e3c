import { withSchemaEngine } from './engine-session';
import { normaliseMigrationName, readMigrations, writeMigration } from './migrations-folder';
import type { SchemaOptions } from './options';
import { maintenanceUrl } from './postgres-admin';
import { readSchema, resolvePrismaPaths } from './prisma-paths';
import { pendingSql } from './schema-diff';

export interface CreateMigrationOptions extends SchemaOptions {
  /** The migration's timestamp; now when unset. */
  now?: Date;
}

export interface CreateMigrationResult {
  /** `<yyyymmddhhmmss>_<name>`, or null when the migrations already match the schema. */
  folder: string | null;
  script: string | null;
}

/**
 * Writes the migration that takes the existing migrations to schema.prisma (`prisma migrate dev
 * --create-only`). `databaseUrl` only locates the server that hosts the shadow database.
 */
export async function createMigration(databaseUrl: string, name: string, options: CreateMigrationOptions = {}): Promise<CreateMigrationResult> {
  const paths = resolvePrismaPaths(options);
  const migrationName = normaliseMigrationName(name);
  const [migrations, schema] = await Promise.all([readMigrations(paths.migrationsDir), readSchema(paths.schemaPath)]);
  // The engine connects to a database as it starts, though a diff only uses the shadow database.
  const script = await withSchemaEngine(maintenanceUrl(databaseUrl), (engine) => pendingSql(engine, migrations, schema), options);
  if (script === null) return { folder: null, script: null };
  const folder = await writeMigration(paths.migrationsDir, migrationName, script, options.now ?? new Date());
  return { folder, script };
}
