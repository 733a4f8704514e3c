import { withSchemaEngine } from './engine-session';
import { readMigrations } from './migrations-folder';
import type { SchemaOptions } from './options';
import { maintenanceUrl } from './postgres-admin';
import { readSchema, resolvePrismaPaths } from './prisma-paths';
import { pendingSql } from './schema-diff';

export interface DriftResult {
  inSync: boolean;
  /** The SQL a new migration would need; null when in sync. */
  missingSql: string | null;
}

/** Whether schema.prisma says anything the migrations do not (a model change without a migration). */
export async function checkDrift(databaseUrl: string, options: SchemaOptions = {}): Promise<DriftResult> {
  const paths = resolvePrismaPaths(options);
  const [migrations, schema] = await Promise.all([readMigrations(paths.migrationsDir), readSchema(paths.schemaPath)]);
  // The engine connects to a database as it starts, though a diff only uses the shadow database.
  const missingSql = await withSchemaEngine(maintenanceUrl(databaseUrl), (engine) => pendingSql(engine, migrations, schema), options);
  return { inSync: missingSql === null, missingSql };
}
