import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CapturedOutput, query, scratchProject, SERVER_URL, type ScratchProject } from '../test/scratch';
import { checkDrift } from './check-drift';
import { createMigration } from './create-migration';
import { runCli } from './run-cli';

describe('drift check and create', () => {
  let project: ScratchProject;
  before(async () => {
    project = await scratchProject();
  });
  after(async () => {
    await project.cleanup();
  });

  const drift = async () => {
    const output = new CapturedOutput();
    const code = await runCli(['drift', '--schema', project.schemaPath, '--migrations', project.migrationsDir], { DATABASE_URL: SERVER_URL }, output);
    return { code, output };
  };

  it('passes for the workspace schema and its migrations', async () => {
    const { code, output } = await drift();
    assert.equal(code, 0, output.stderr);
  });

  it('fails when a model field is added without a migration, and passes after create', async () => {
    await addFieldToFirstModel(project.schemaPath, 'driftProbe String?');

    const failing = await drift();
    assert.equal(failing.code, 1);
    assert.match(failing.output.stdout, /ADD COLUMN\s+"driftProbe" TEXT/);

    const created = await createMigration(SERVER_URL, 'add drift probe', { ...project, now: new Date('2999-01-02T03:04:05Z') });
    assert.equal(created.folder, '29990102030405_add_drift_probe');
    const written = await readFile(join(project.migrationsDir, '29990102030405_add_drift_probe', 'migration.sql'), 'utf8');
    assert.equal(written, created.script);
    assert.match(written, /ADD COLUMN\s+"driftProbe" TEXT/);

    const passing = await drift();
    assert.equal(passing.code, 0, passing.output.stderr);
    assert.deepEqual(await checkDrift(SERVER_URL, project), { inSync: true, missingSql: null });
  });

  it('writes nothing when the schema already matches the migrations', async () => {
    const before = await readdir(project.migrationsDir);
    const output = new CapturedOutput();
    const code = await runCli(['create', 'nothing', '--schema', project.schemaPath, '--migrations', project.migrationsDir], { DATABASE_URL: SERVER_URL }, output);
    assert.equal(code, 0);
    assert.match(output.stdout, /nothing to write/);
    assert.deepEqual(await readdir(project.migrationsDir), before);
  });

  it('leaves no shadow database behind', async () => {
    const rows = await query<{ n: number }>(SERVER_URL, "SELECT count(*)::int AS n FROM pg_database WHERE datname LIKE 'smarthost\\_shadow\\_%'");
    assert.equal(rows[0]?.n, 0);
  });
});

/** Inserts a field line after the opening brace of the schema's first model. */
async function addFieldToFirstModel(schemaPath: string, field: string): Promise<void> {
  const schema = await readFile(schemaPath, 'utf8');
  const changed = schema.replace(/^(model \w+ \{\n)/m, `$1  ${field}\n`);
  assert.notEqual(changed, schema, 'the schema has a model to change');
  await writeFile(schemaPath, changed);
}
