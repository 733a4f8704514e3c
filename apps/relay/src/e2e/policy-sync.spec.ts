import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { upsertChange } from '@smarthost/relay-policy';
import { rawSmtp, sendMail, waitFor } from '@smarthost/testkit';
import { PASSWORDS, tenant } from '../test/fixtures';
import { startTestBed, type RelayTestBed } from '../test/test-relay';
import type { RunningRelay } from '../start-relay';

const submit = (node: RunningRelay) =>
  sendMail({
    port: node.ports.submissions,
    secure: true,
    auth: { user: 'acme-app', pass: PASSWORDS.acme },
    message: { from: 'a@acme.test', to: 'x@example.org', subject: 's', text: 'hello' },
  });

interface Readiness {
  ready: boolean;
  redis: string;
  policy: { loaded: boolean; stale: boolean };
}

async function readyz(node: RunningRelay): Promise<{ status: number; body: Readiness }> {
  const response = await fetch(`http://127.0.0.1:${node.ports.health}/readyz`);
  return { status: response.status, body: (await response.json()) as Readiness };
}

async function cachedVersion(file: string): Promise<number | undefined> {
  try {
    // The cache file is the snapshot document plus its syncedAt (policy-cache-file.ts).
    return JSON.parse(await readFile(file, 'utf8')).version;
  } catch {
    return undefined;
  }
}

describe('policy sync: cache, outages and staleness', () => {
  let bed: RelayTestBed;
  let shortLived: RunningRelay;
  let cacheFile: string;

  before(async () => {
    bed = await startTestBed({ env: { HEARTBEAT_INTERVAL_SECONDS: '1', RELAY_PUBLIC_IPS: '198.51.100.7' } });
    cacheFile = bed.env.POLICY_CACHE_FILE as string;
  });
  after(() => bed.close());

  it('before any policy is loaded every MAIL/RCPT answers 451 4.3.0 and /readyz is 503', async () => {
    const blind = await bed.startNode({ API_URL: 'http://127.0.0.1:9', POLICY_CACHE_FILE: join(bed.dir, 'none.json') });
    const ready = await readyz(blind);
    assert.equal(ready.status, 503);
    assert.equal(ready.body.policy.loaded, false);
    assert.equal(ready.body.redis, 'ok');
    const client = await rawSmtp('127.0.0.1', blind.ports.inbound);
    await client.read();
    await client.command('EHLO client.test');
    const mail = await client.command('MAIL FROM:<a@example.org>');
    assert.equal(mail.code, 451);
    assert.match(mail.lines[0] ?? '', /^4\.3\.0 /);
    await client.close();
    const result = await submit(blind);
    assert.equal(result.ok ? 0 : result.responseCode, 451);
  });

  it('/healthz answers while /readyz reports the loaded policy', async () => {
    assert.equal((await fetch(`http://127.0.0.1:${bed.relay.ports.health}/healthz`)).status, 200);
    const ready = await readyz(bed.relay);
    assert.equal(ready.status, 200);
    assert.equal(ready.body.ready, true);
  });

  it('deltas are applied and written to the disk cache; heartbeats report the version and RELAY_PUBLIC_IPS', async () => {
    const delta = bed.api.push(upsertChange('tenant', tenant('t-new')));
    await bed.waitForPolicyVersion(delta.toVersion);
    await waitFor(async () => (await cachedVersion(cacheFile)) === delta.toVersion, { description: 'cache file updated' });
    const beat = await waitFor(() => bed.api.heartbeats.find((h) => (h as { policyVersion: number }).policyVersion >= 1), { description: 'heartbeat' });
    assert.deepEqual((beat as { publicIps: string[] }).publicIps, ['198.51.100.7']);
  });

  it('410 from the changes route makes the node pull a full snapshot', async () => {
    bed.api.oldestRetained = bed.api.version + 1;
    const delta = bed.api.push(upsertChange('tenant', tenant('t-newer')));
    await bed.waitForPolicyVersion(delta.toVersion);
    bed.api.oldestRetained = 0;
  });

  it('the API going away: nodes keep accepting from their index', async () => {
    shortLived = await bed.startNode({ POLICY_MAX_STALENESS_SECONDS: '6' });
    await bed.waitForPolicyVersion(bed.api.version, shortLived);
    await bed.api.stop();
    // The short-lived node first: its 6 s of grace started with its last poll.
    const early = await submit(shortLived);
    assert.ok(early.ok, early.ok ? '' : early.response);
    const result = await submit(bed.relay);
    assert.ok(result.ok, result.ok ? '' : result.response);
  });

  it('a node restarted while the API is down serves from the disk cache', async () => {
    const restarted = await bed.startNode();
    assert.equal(restarted.policyStatus().loaded, true);
    const result = await submit(restarted);
    assert.ok(result.ok, result.ok ? '' : result.response);
  });

  it('beyond POLICY_MAX_STALENESS the node answers 451 4.3.0, and recovers when the API is back', async () => {
    await waitFor(() => shortLived.policyStatus().stale, { timeoutMs: 15_000, description: 'policy stale' });
    const result = await submit(shortLived);
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : (result.response ?? ''), /^451 4\.3\.0 /);
    assert.equal((await readyz(shortLived)).status, 503);
    await bed.api.start();
    await waitFor(() => !shortLived.policyStatus().stale, { timeoutMs: 10_000, description: 'policy fresh again' });
    assert.ok((await submit(shortLived)).ok);
  });
});
