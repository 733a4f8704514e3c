import type pg from 'pg';
import { DriverAdapterError, type SqlDriverAdapter } from '@prisma/driver-adapter-utils';

/**
 * Makes the adapter send a migration script to Postgres in one piece.
 *
 * adapter-pg's executeScript splits scripts on every `;`, which breaks dollar-quoted function
 * bodies (`DO $$ ... ; ... $$`) and string literals containing `;`, and runs the statements one by
 * one so a failing migration is left half applied. The native engine sends the whole script as
 * one simple-protocol query, which Postgres runs as a single implicit transaction; so do we.
 */
export function runScriptsWhole<A extends SqlDriverAdapter>(adapter: A, pool: pg.Pool): A {
  adapter.executeScript = async (script: string) => {
    try {
      await pool.query(script);
    } catch (error) {
      throw toDriverAdapterError(error);
    }
  };
  return adapter;
}

/** The engine reads the database's own message only from a DriverAdapterError. */
function toDriverAdapterError(error: unknown): unknown {
  if (!(error instanceof Error) || typeof (error as pg.DatabaseError).code !== 'string') return error;
  const dbError = error as pg.DatabaseError;
  return new DriverAdapterError({
    kind: 'postgres',
    code: dbError.code ?? 'N/A',
    severity: dbError.severity ?? 'N/A',
    message: dbError.message,
    detail: dbError.detail,
    column: dbError.column,
    hint: dbError.hint,
  });
}
