import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { migrateDatabase } from '../migrate/migrate-database';
import { defaultPrismaPaths } from '../migrate/prisma-paths';
import { query, scratchProject, type ScratchProject } from '../test/scratch';

const MIGRATION = '20261203142900_route_tls_mode';

describe(`migration ${MIGRATION}`, () => {
  let project: ScratchProject;
  before(async () => {
    project = await scratchProject();
  });
  after(() => project.cleanup());

  it('gives routes that required TLS a verified certificate, and the others opportunistic TLS', async () => {
    const url = project.url(project.database('route_tls'));
    await rm(join(project.migrationsDir, MIGRATION), { recursive: true });
    await migrateDatabase(url, { migrationsDir: project.migrationsDir });
    const [tenant, domain] = [randomUUID(), randomUUID()];
    await query(url, `INSERT INTO plans (id, name, "messagesPerDay", "messagesPerMonth", "messagesPerMinute", "recipientsPerMessage", "maxMessageBytes") VALUES ('free', 'Free', 1, 1, 1, 1, 1)`);
    await query(url, `INSERT INTO tenants (id, name, slug, "updatedAt") VALUES ($1, 't', 't', now())`, [tenant]);
    await query(url, `INSERT INTO domains (id, "tenantId", name, "verificationToken", "updatedAt") VALUES ($1, $2, 'd.example', 'x', now())`, [domain, tenant]);
    for (const [pattern, requireTls] of [['strict', true], ['lax', false]] as const) {
      await query(url, `INSERT INTO inbound_routes (id, "tenantId", "domainId", pattern, host, port, "requireTls", "updatedAt") VALUES ($1, $2, $3, $4, 'mx.example.com', 25, $5, now())`, [
        randomUUID(), tenant, domain, pattern, requireTls,
      ]);
    }

    await cp(join(defaultPrismaPaths().migrationsDir, MIGRATION), join(project.migrationsDir, MIGRATION), { recursive: true });
    assert.deepEqual((await migrateDatabase(url, { migrationsDir: project.migrationsDir })).applied, [MIGRATION]);
    const rows = await query<{ pattern: string; tlsMode: string }>(url, `SELECT pattern, "tlsMode"::text FROM inbound_routes ORDER BY pattern`);
    assert.deepEqual(rows, [{ pattern: 'lax', tlsMode: 'opportunistic' }, { pattern: 'strict', tlsMode: 'require_verified' }]);
  });
});
