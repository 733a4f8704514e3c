import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import { openEngineConnections } from './engine-connections';
import { loadSchemaEngine } from './load-schema-engine';

export interface EngineSessionOptions {
  /** Receives the engine's log lines (JSON tracing events); dropped when unset. */
  onLog?: (line: string) => void;
}

/**
 * Runs `fn` with a schema engine connected to `databaseUrl`. Afterwards the engine is freed and
 * every connection it opened is closed, so a caller can drop or clone the database right away.
 */
export async function withSchemaEngine<T>(
  databaseUrl: string,
  fn: (engine: SchemaEngine) => Promise<T>,
  options: EngineSessionOptions = {},
): Promise<T> {
  const SchemaEngineClass = await loadSchemaEngine();
  const connections = openEngineConnections(databaseUrl);
  try {
    const adapterFactory = bindMigrationAwareSqlAdapterFactory(connections.factory);
    const engine = await SchemaEngineClass.new({ datamodels: undefined }, options.onLog ?? (() => {}), adapterFactory);
    try {
      return await fn(engine);
    } finally {
      engine.free();
    }
  } finally {
    await connections.close();
  }
}
