import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CapturedOutput, query, scratchProject, tableNames, type ScratchProject } from '../test/scratch';
import { migrateDatabase } from './migrate-database';
import { resetDatabase } from './reset-database';
import { runCli } from './run-cli';

describe('resetDatabase', () => {
  let project: ScratchProject;
  let url: string;
  before(async () => {
    project = await scratchProject();
    url = project.url(project.database('reset'));
    await migrateDatabase(url, { migrationsDir: project.migrationsDir });
  });
  after(async () => {
    await project.cleanup();
  });

  it('drops data and stray objects, then reapplies every migration', async () => {
    const migrated = await tableNames(url);
    await query(url, 'CREATE TABLE stray (id int)');
    await query(url, 'INSERT INTO stray VALUES (1)');

    const result = await resetDatabase(url, { migrationsDir: project.migrationsDir, nodeEnv: 'test' });

    assert.ok(result.applied.length > 0);
    assert.deepEqual(await tableNames(url), migrated);
    const history = await query<{ n: number }>(url, 'SELECT count(*)::int AS n FROM _prisma_migrations');
    assert.equal(history[0]?.n, result.applied.length);
  });

  it('refuses with NODE_ENV=production and leaves the database alone', async () => {
    await query(url, 'CREATE TABLE keep_me (id int)');
    const output = new CapturedOutput();
    const code = await runCli(['reset', '--migrations', project.migrationsDir], { DATABASE_URL: url, NODE_ENV: 'production' }, output);
    assert.equal(code, 1);
    assert.match(output.stderr, /refusing to reset/);
    assert.ok((await tableNames(url)).includes('keep_me'));
  });
});
