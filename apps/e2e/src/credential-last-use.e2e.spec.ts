import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '@smarthost/testkit';
import { Client } from 'pg';
import { onboardCustomer, type Customer, type SmtpCredential } from './customer';
import { type Stack, startStack } from './stack';
import { expectStatus } from './support/http';
import { submit } from './support/submit';

const HEARTBEAT_SECONDS = 2;
const LOGINS = 24;

interface CredentialRow {
  id: string;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
}

/**
 * Issue 14: a credential's "Last used" is what the relay saw at AUTH, reported with the node's heartbeat, so a
 * burst of logins costs a bounded number of database writes (one per credential per beat), never one per login.
 */
describe('credentials record when they were last used (issue 14)', () => {
  let stack: Stack;
  let customer: Customer;
  let credential: SmtpCredential;
  let db: Client;

  before(async () => {
    stack = await startStack({ nodes: [{ name: 'node-a', role: 'relay' }], relayEnv: { HEARTBEAT_INTERVAL_SECONDS: String(HEARTBEAT_SECONDS) } });
    customer = await onboardCustomer(stack, 'acme-last-use.test');
    credential = await customer.createCredential('app');
    db = new Client({ connectionString: stack.db.url });
    await db.connect();
    // Counts every write that changes the column, whatever statement makes it.
    await db.query(`
      CREATE TABLE last_use_writes (credential_id uuid, at timestamptz DEFAULT now());
      CREATE FUNCTION count_last_use_write() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO last_use_writes (credential_id) VALUES (NEW.id); RETURN NEW; END $$;
      CREATE TRIGGER last_use_written AFTER UPDATE OF "lastUsedAt" ON smtp_credentials
        FOR EACH ROW WHEN (OLD."lastUsedAt" IS DISTINCT FROM NEW."lastUsedAt") EXECUTE FUNCTION count_last_use_write();`);
  });
  after(async () => {
    await db?.end();
    await stack?.stop();
  });

  const listed = async (): Promise<CredentialRow | undefined> => {
    const page = expectStatus(await customer.api<{ items: CredentialRow[] }>('GET', '/v1/credentials'), 200, 'list credentials');
    return page.items.find((item) => item.id === credential.id);
  };
  const login = async () => {
    const probe = await submit(stack.node('node-a'), { credential, from: customer.sender, to: 'someone@example.net', quitAfter: 'AUTH' });
    assert.equal(probe.exitCode, 0, probe.transcript);
  };
  const writes = async () => Number((await db.query('SELECT count(*) FROM last_use_writes')).rows[0].count);

  it('shows "last used" in the credential list after an AUTH on the relay, with the client address', async () => {
    assert.equal((await listed())?.lastUsedAt, null);
    const before = Date.now();
    await login();
    const row = await waitFor(async () => ((await listed())?.lastUsedAt ? listed() : undefined), {
      timeoutMs: 30_000,
      intervalMs: 250,
      description: 'lastUsedAt in the credential list',
    });
    assert.ok(row?.lastUsedAt);
    assert.ok(Date.parse(row.lastUsedAt) >= before - 1000, row.lastUsedAt);
    assert.equal(row.lastUsedIp, '127.0.0.1');
  });

  it(`writes at most once per heartbeat for a burst of ${LOGINS} logins`, async () => {
    await db.query('TRUNCATE last_use_writes');
    const started = Date.now();
    // Four clients at a time: a burst, on a loaded machine, without tripping the per-IP connection limits.
    for (let i = 0; i < LOGINS; i += 4) await Promise.all([login(), login(), login(), login()]);
    const elapsedMs = Date.now() - started;
    const lastLogin = Date.now();
    await waitFor(async () => Date.parse((await listed())?.lastUsedAt ?? '0') >= lastLogin - 2000, {
      timeoutMs: 30_000,
      intervalMs: 250,
      description: 'the last login of the burst reported',
    });
    // One write per beat that fell within the burst, plus the beat that reports its tail.
    const bound = Math.ceil(elapsedMs / (HEARTBEAT_SECONDS * 1000)) + 2;
    const written = await writes();
    assert.ok(written >= 1 && written <= bound, `${written} writes for ${LOGINS} logins in ${elapsedMs} ms (bound ${bound})`);
  });
});
