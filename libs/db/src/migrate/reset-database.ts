import { withSchemaEngine } from './engine-session';
import type { MigrateResult } from './migrate-database';
import { readMigrations } from './migrations-folder';
import { createDatabaseIfMissing } from './postgres-admin';
import type { MigrationsOptions } from './options';
import { resolvePrismaPaths } from './prisma-paths';
import { NO_FILTER } from './schema-diff';

export interface ResetOptions extends MigrationsOptions {
  /** NODE_ENV of the caller: a reset is refused in production. */
  nodeEnv: string | undefined;
}

export class ResetRefusedError extends Error {
  constructor() {
    super('refusing to reset a database with NODE_ENV=production');
    this.name = 'ResetRefusedError';
  }
}

/** Drops everything in the database (data and schema) and reapplies every migration. */
export async function resetDatabase(databaseUrl: string, options: ResetOptions): Promise<MigrateResult> {
  if (options.nodeEnv === 'production') throw new ResetRefusedError();
  const migrationsList = await readMigrations(resolvePrismaPaths(options).migrationsDir);
  const createdDatabase = await createDatabaseIfMissing(databaseUrl);
  return withSchemaEngine(
    databaseUrl,
    async (engine) => {
      await engine.reset({ filter: NO_FILTER });
      const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
      return { createdDatabase, applied: appliedMigrationNames, edited: [] };
    },
    options,
  );
}
