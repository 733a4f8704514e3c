import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { CharAsTextClient } from './char-as-text-client';
import { dropDatabase, quoteIdent, withAdminClient, withDatabaseName } from './postgres-admin';
import { runScriptsWhole } from './whole-script-adapter';

export interface EngineConnections {
  factory: SqlMigrationAwareDriverAdapterFactory;
  /** Ends every pool opened for the engine, then drops the shadow databases it used. */
  close(): Promise<void>;
}

/**
 * The connections the schema engine works through: the target database and, on request,
 * a throwaway shadow database on the same server.
 *
 * adapter-pg's own connectToShadowDb cannot be used: given a connection string it connects the
 * "shadow" pool to the main database, and it drops the shadow database before closing its pool.
 * Here the pools are ours, so we end them before dropping anything.
 */
export function openEngineConnections(databaseUrl: string): EngineConnections {
  const pools: pg.Pool[] = [];
  const shadowDatabases: string[] = [];

  const connectTo = async (url: string) => {
    const pool = new pg.Pool({ connectionString: url, Client: CharAsTextClient });
    pools.push(pool);
    return runScriptsWhole(await new PrismaPg(pool).connect(), pool);
  };

  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: 'postgres',
    adapterName: new PrismaPg(databaseUrl).adapterName,
    connect: () => connectTo(databaseUrl),
    connectToShadowDb: async () => {
      const name = `smarthost_shadow_${randomUUID().replace(/-/g, '')}`;
      await withAdminClient(databaseUrl, (admin) => admin.query(`CREATE DATABASE ${quoteIdent(name)}`));
      shadowDatabases.push(name);
      return connectTo(withDatabaseName(databaseUrl, name));
    },
  };

  const close = async () => {
    await Promise.all(pools.filter((pool) => !pool.ended).map((pool) => pool.end()));
    if (shadowDatabases.length === 0) return;
    await withAdminClient(databaseUrl, async (admin) => {
      for (const name of shadowDatabases.splice(0)) await dropDatabase(admin, name);
    });
  };

  return { factory, close };
}
