import { withSchemaEngine } from './engine-session';
import { readMigrations } from './migrations-folder';
import { createDatabaseIfMissing } from './postgres-admin';
import type { MigrationsOptions } from './options';
import { resolvePrismaPaths } from './prisma-paths';
import { NO_FILTER } from './schema-diff';

export interface MigrateResult {
  createdDatabase: boolean;
  applied: string[];
  /** Applied migrations whose file changed since: a history to repair, not to ignore. */
  edited: string[];
}

/** Applies pending migrations, creating the database first when it does not exist (`prisma migrate deploy`). */
export async function migrateDatabase(databaseUrl: string, options: MigrationsOptions = {}): Promise<MigrateResult> {
  const migrationsList = await readMigrations(resolvePrismaPaths(options).migrationsDir);
  const createdDatabase = await createDatabaseIfMissing(databaseUrl);
  return withSchemaEngine(
    databaseUrl,
    async (engine) => {
      const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
      const history = await engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: NO_FILTER });
      return { createdDatabase, applied: appliedMigrationNames, edited: history.editedMigrationNames };
    },
    options,
  );
}
