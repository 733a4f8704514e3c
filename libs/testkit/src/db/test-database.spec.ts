import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { databaseUrl, DEFAULT_ADMIN_URL, testDatabase } from './test-database';

const adminUrl = process.env.DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL;

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe('testDatabase', () => {
  // A throwaway template: the real one is migrated by libs/db before the suite runs.
  const template = `smarthost_tk_template_${randomBytes(4).toString('hex')}`;

  before(async () => {
    await withClient(adminUrl, (admin) => admin.query(`CREATE DATABASE "${template}"`));
    await withClient(databaseUrl(adminUrl, template), async (client) => {
      await client.query('CREATE TABLE tenant (id serial PRIMARY KEY, name text NOT NULL)');
      await client.query("INSERT INTO tenant (name) VALUES ('from-template')");
    });
  });
  after(() => withClient(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`)));

  it('clones the template into isolated databases on the same server', async () => {
    const [one, two] = await Promise.all([testDatabase({ template, adminUrl }), testDatabase({ template, adminUrl })]);
    try {
      assert.notEqual(one.name, two.name);
      assert.equal(new URL(one.url).host, new URL(adminUrl).host);
      await withClient(one.url, (client) => client.query("INSERT INTO tenant (name) VALUES ('only-in-one')"));
      const names = (url: string) =>
        withClient(url, async (client) => (await client.query<{ name: string }>('SELECT name FROM tenant ORDER BY id')).rows.map((r) => r.name));
      assert.deepEqual(await names(one.url), ['from-template', 'only-in-one']);
      assert.deepEqual(await names(two.url), ['from-template']);
      assert.deepEqual(await names(databaseUrl(adminUrl, template)), ['from-template']);
    } finally {
      await Promise.all([one.drop(), two.drop()]);
    }
  });

  it('waits for a session on the template to end instead of failing', async () => {
    const blocker = new Client({ connectionString: databaseUrl(adminUrl, template) });
    await blocker.connect();
    const release = setTimeout(() => void blocker.end(), 300);
    const started = Date.now();
    const db = await testDatabase({ template, adminUrl });
    try {
      assert.ok(Date.now() - started >= 250, 'creation had to wait for the session to close');
      await withClient(db.url, (client) => client.query('SELECT 1 FROM tenant'));
    } finally {
      clearTimeout(release);
      await db.drop();
    }
  });

  it('gives up with Postgres’s own error when the template stays busy', async () => {
    const blocker = new Client({ connectionString: databaseUrl(adminUrl, template) });
    await blocker.connect();
    try {
      await assert.rejects(testDatabase({ template, adminUrl, busyTimeoutMs: 200 }), { code: '55006' });
    } finally {
      await blocker.end();
    }
  });

  it('drops the database even with a connection left open', async () => {
    const db = await testDatabase({ template, adminUrl });
    const leaked = new Client({ connectionString: db.url });
    leaked.on('error', () => undefined);
    await leaked.connect();
    await db.drop();
    const exists = await withClient(adminUrl, async (admin) =>
      (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [db.name])).rowCount,
    );
    assert.equal(exists, 0);
    await leaked.end().catch(() => undefined);
  });

  it('fails clearly when the template does not exist', async () => {
    await assert.rejects(testDatabase({ template: 'smarthost_no_such_template', adminUrl }), { code: '3D000' });
  });
});
