import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';

export interface DbClientOptions {
  /** Connections in this client's pool; pg's default (10) when unset. */
  poolSize?: number;
  /** Reported in pg_stat_activity, so a connection can be traced to the process that opened it. */
  applicationName?: string;
  /** How long to wait for a free connection before failing, in milliseconds. */
  connectionTimeoutMillis?: number;
}

/**
 * A Prisma client over node-postgres. No singleton: each app module (and each test file, with
 * its own database) creates and disconnects its own.
 */
export function createPrismaClient(databaseUrl: string, options: DbClientOptions = {}): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: options.poolSize,
    application_name: options.applicationName,
    connectionTimeoutMillis: options.connectionTimeoutMillis,
  });
  return new PrismaClient({ adapter });
}
