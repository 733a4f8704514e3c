import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { SERVER_URL } from '../test/scratch';
import { CharAsTextClient } from './char-as-text-client';

const CHAR_COLUMN = `SELECT relkind, relname FROM pg_class WHERE relname = 'pg_class'`;

describe('CharAsTextClient', () => {
  it('reports "char" columns as text through a pool (callback form)', async () => {
    const pool = new pg.Pool({ connectionString: SERVER_URL, Client: CharAsTextClient });
    try {
      const result = await pool.query(CHAR_COLUMN);
      assert.deepEqual(result.fields.map((field) => field.dataTypeID), [25, 19]);
      assert.equal(result.rows[0]?.relkind, 'r');
    } finally {
      await pool.end();
    }
  });

  it('reports "char" columns as text on a checked-out client (promise form)', async () => {
    const pool = new pg.Pool({ connectionString: SERVER_URL, Client: CharAsTextClient });
    const client = await pool.connect();
    try {
      const result = await client.query(CHAR_COLUMN);
      assert.deepEqual(result.fields.map((field) => field.dataTypeID), [25, 19]);
    } finally {
      client.release();
      await pool.end();
    }
  });
});
