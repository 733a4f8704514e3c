import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPrismaClient } from './create-prisma-client';
import { Prisma } from './generated/prisma/client';
import { migrateDatabase } from './migrate/migrate-database';
import { scratchProject, type ScratchProject } from './test/scratch';

describe('createPrismaClient', () => {
  let project: ScratchProject;
  let url: string;
  before(async () => {
    project = await scratchProject();
    url = project.url(project.database('client'));
    await migrateDatabase(url, { migrationsDir: project.migrationsDir });
  });
  after(async () => {
    await project.cleanup();
  });

  it('queries a migrated database through node-postgres', async () => {
    const db = createPrismaClient(url, { poolSize: 2, applicationName: 'smarthost-db-test' });
    try {
      assert.equal(await db.tenant.count(), 0);
      const [row] = await db.$queryRaw<{ name: string }[]>`SELECT current_setting('application_name') AS name`;
      assert.equal(row?.name, 'smarthost-db-test');
    } finally {
      await db.$disconnect();
    }
  });

  it('surfaces database errors as Prisma known request errors', async () => {
    const db = createPrismaClient(url);
    try {
      await assert.rejects(
        db.$executeRawUnsafe('INSERT INTO no_such_table VALUES (1)'),
        (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError,
      );
    } finally {
      await db.$disconnect();
    }
  });
});
