import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { query, scratchProject, tableNames, type ScratchProject } from '../test/scratch';
import { migrateDatabase } from './migrate-database';

describe('migrateDatabase', () => {
  let project: ScratchProject;
  before(async () => {
    project = await scratchProject();
  });
  after(async () => {
    await project.cleanup();
  });

  it('creates a missing database, applies every migration, and applies nothing the second time', async () => {
    const url = project.url(project.database('migrate'));
    const migrations = (await readdir(project.migrationsDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);

    const first = await migrateDatabase(url, { migrationsDir: project.migrationsDir });
    assert.equal(first.createdDatabase, true);
    assert.deepEqual(first.applied, migrations.sort());
    assert.ok((await tableNames(url)).some((name) => name !== '_prisma_migrations'));

    const second = await migrateDatabase(url, { migrationsDir: project.migrationsDir });
    assert.deepEqual(second, { createdDatabase: false, applied: [], edited: [] });
  });

  it('records an ordinary _prisma_migrations history, as prisma migrate deploy would', async () => {
    const url = project.url(project.database('history'));
    await migrateDatabase(url, { migrationsDir: project.migrationsDir });
    const rows = await query<{ migration_name: string; checksum: string; finished: boolean; rolled_back: boolean }>(
      url,
      'SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back FROM _prisma_migrations ORDER BY migration_name',
    );
    assert.ok(rows.length > 0);
    for (const row of rows) {
      const script = await readFile(join(project.migrationsDir, row.migration_name, 'migration.sql'));
      assert.equal(row.checksum, createHash('sha256').update(script).digest('hex'));
      assert.equal(row.finished, true);
      assert.equal(row.rolled_back, false);
    }
  });

  it('runs a hand-written migration with dollar-quoted bodies and semicolons inside literals', async () => {
    const url = project.url(project.database('custom'));
    await addMigration(
      project,
      '29990101000000_custom_sql',
      `CREATE FUNCTION smarthost_test_semicolons() RETURNS text AS $$
BEGIN
  RETURN 'a;b';
END;
$$ LANGUAGE plpgsql;
COMMENT ON FUNCTION smarthost_test_semicolons() IS 'returns; a literal';
`,
    );
    try {
      const result = await migrateDatabase(url, { migrationsDir: project.migrationsDir });
      assert.ok(result.applied.includes('29990101000000_custom_sql'));
      const [row] = await query<{ value: string; comment: string }>(
        url,
        "SELECT smarthost_test_semicolons() AS value, obj_description('smarthost_test_semicolons'::regproc) AS comment",
      );
      assert.deepEqual(row, { value: 'a;b', comment: 'returns; a literal' });
    } finally {
      await removeMigration(project, '29990101000000_custom_sql');
    }
  });

  it('leaves nothing of a migration that fails halfway', async () => {
    const url = project.url(project.database('failing'));
    await migrateDatabase(url, { migrationsDir: project.migrationsDir });
    await addMigration(project, '29990101000001_fails', 'CREATE TABLE "HalfDone" (id int);\nSELECT 1 / 0;\n');
    try {
      await assert.rejects(migrateDatabase(url, { migrationsDir: project.migrationsDir }), /division by zero/);
      assert.equal((await tableNames(url)).includes('HalfDone'), false);
    } finally {
      await removeMigration(project, '29990101000001_fails');
    }
  });
});

async function addMigration(project: ScratchProject, name: string, sql: string): Promise<void> {
  await mkdir(join(project.migrationsDir, name));
  await writeFile(join(project.migrationsDir, name, 'migration.sql'), sql);
}

async function removeMigration(project: ScratchProject, name: string): Promise<void> {
  await rm(join(project.migrationsDir, name), { recursive: true, force: true });
}
