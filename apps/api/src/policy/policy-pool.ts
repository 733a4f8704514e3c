import type { Provider } from '@nestjs/common';
import { Pool } from 'pg';
import { API_CONFIG, type ApiConfig } from '../config/api-config';

export const POLICY_PG_POOL = Symbol('POLICY_PG_POOL');

/**
 * A small node-postgres pool for reading snapshots. Snapshots bypass Prisma: measured on 100,000 tenants and
 * 300,000 credentials, Prisma's raw-query result handling roughly doubled the time of pages that are each one large
 * text value, and a snapshot needs its own REPEATABLE READ transactions held across many pages anyway. A snapshot
 * reads on three connections at once (snapshot-builder.ts), so six serve two snapshots at a time; more would only
 * share the same Postgres CPU.
 */
export const policyPoolProvider: Provider = {
  provide: POLICY_PG_POOL,
  inject: [API_CONFIG],
  useFactory: (config: ApiConfig) =>
    new Pool({ connectionString: config.DATABASE_URL, max: 6, application_name: 'smarthost-api-policy-snapshot' }),
};
