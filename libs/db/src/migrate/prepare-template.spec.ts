import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connectionCount, query, scratchProject, SERVER_URL, tableNames, type ScratchProject } from '../test/scratch';
import { quoteIdent } from './postgres-admin';
import { prepareTemplateDatabase } from './prepare-template';

describe('prepareTemplateDatabase', () => {
  let project: ScratchProject;
  let templateName: string;
  before(async () => {
    project = await scratchProject();
    templateName = project.database('template');
  });
  after(async () => {
    await project.cleanup();
  });

  const prepare = () => prepareTemplateDatabase(SERVER_URL, { templateName, migrationsDir: project.migrationsDir });
  const templateOid = async () =>
    (await query<{ oid: number }>(SERVER_URL, 'SELECT oid::int FROM pg_database WHERE datname = $1', [templateName]))[0]?.oid;
  const clone = async (label: string) => {
    const name = project.database(label);
    await query(SERVER_URL, `CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(templateName)}`);
    return project.url(name);
  };

  it('builds a migrated template with no session left on it, ready to clone', async () => {
    const result = await prepare();
    assert.equal(result.rebuilt, true);
    assert.equal(await connectionCount(templateName), 0);
    const tables = await tableNames(await clone('clone_a'));
    assert.ok(tables.includes('_prisma_migrations'));
    assert.ok(tables.length > 1);
  });

  it('skips the work when the migrations are unchanged', async () => {
    const oid = await templateOid();
    const result = await prepare();
    assert.equal(result.rebuilt, false);
    assert.equal(await templateOid(), oid);
  });

  it('rebuilds when a migration is added', async () => {
    const oid = await templateOid();
    await mkdir(join(project.migrationsDir, '29990101000000_template_probe'));
    await writeFile(join(project.migrationsDir, '29990101000000_template_probe', 'migration.sql'), 'CREATE TABLE template_probe (id int);\n');

    const result = await prepare();

    assert.equal(result.rebuilt, true);
    assert.notEqual(await templateOid(), oid);
    assert.equal(await connectionCount(templateName), 0);
    assert.ok((await tableNames(await clone('clone_b'))).includes('template_probe'));
  });

  it('lets parallel callers share one build', async () => {
    await writeFile(join(project.migrationsDir, '29990101000000_template_probe', 'migration.sql'), 'CREATE TABLE template_probe_2 (id int);\n');
    const results = await Promise.all([prepare(), prepare(), prepare()]);
    assert.equal(results.filter((result) => result.rebuilt).length, 1);
    assert.ok((await tableNames(await clone('clone_c'))).includes('template_probe_2'));
  });
});
