import type { MigrationList, SchemaEngine, SchemaFilter, SchemasContainer } from '@prisma/schema-engine-wasm';

/** Nothing in the database is managed outside Prisma. */
export const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

/**
 * The SQL that takes a database built from `migrations` to `schema`, or null when there is none.
 * The engine replays the migrations on a shadow database to know where they lead.
 */
export async function pendingSql(engine: SchemaEngine, migrations: MigrationList, schema: SchemasContainer): Promise<string | null> {
  const result = await engine.diff({
    from: { tag: 'migrations', ...migrations },
    to: { tag: 'schemaDatamodel', ...schema },
    script: true,
    exitCode: true,
    filters: NO_FILTER,
  });
  // With exitCode requested the engine answers 2 when the diff is not empty, as `prisma migrate diff --exit-code` does.
  return result.exitCode === 2 ? (result.stdout ?? '') : null;
}
