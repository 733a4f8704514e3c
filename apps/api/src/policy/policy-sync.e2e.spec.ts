import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { parsePolicyDelta, parsePolicySnapshot, type PolicySnapshot, secretDigest } from '@smarthost/relay-policy';
import { createTenantFixture, httpClient, type TenantFixture } from '../test/fixtures';
import { startTestApp, type TestApp } from '../test/test-app';
import { insertDomain, strangerToken } from './policy-fixtures';
import type { Pool } from 'pg';
import { recordPolicyChange } from './policy-changes';
import { POLICY_PG_POOL } from './policy-pool';
import { writeSnapshot } from './snapshot-builder';

describe('policy sync for relay nodes', () => {
  const operatorToken = randomBytes(32).toString('hex');
  let app: TestApp;
  let tenant: TenantFixture;
  let asTenant: ReturnType<typeof httpClient>;
  let asNode: ReturnType<typeof httpClient>;
  let verified: { id: string; name: string };
  let pending: { id: string; name: string };
  let failed: { id: string; name: string };
  let credential: { id: string; username: string; password: string };
  let route: { id: string };
  let suppression: { id: string };

  const version = async () => Number((await app.prisma.policyChange.aggregate({ _max: { version: true } }))._max.version ?? 0);
  const snapshot = async (): Promise<{ snapshot: PolicySnapshot; header: string | null; bytes: number }> => {
    const response = await fetch(`${app.url}/v1/relay/policy`, { headers: { authorization: asNodeToken() } });
    assert.equal(response.status, 200);
    const text = await response.text();
    return { snapshot: parsePolicySnapshot(JSON.parse(text)), header: response.headers.get('x-policy-version'), bytes: text.length };
  };
  let nodeToken = '';
  const asNodeToken = () => `Bearer ${nodeToken}`;

  before(async () => {
    app = await startTestApp({ OPERATOR_TOKEN: operatorToken });
    const registered = await httpClient(app.url, { authorization: `Bearer ${operatorToken}` })('POST', '/v1/operator/relay-nodes', { name: 'relay-sync' });
    nodeToken = registered.body.token;
    asNode = httpClient(app.url, { authorization: asNodeToken() });
    tenant = await createTenantFixture(app.prisma);
    asTenant = httpClient(app.url, tenant.auth);
    await app.prisma.tenant.update({ where: { id: tenant.tenantId }, data: { planId: 'starter', messagesPerDayOverride: 12_345 } });
    verified = await insertDomain(app.prisma, tenant.tenantId, 'verified');
    pending = await insertDomain(app.prisma, tenant.tenantId, 'pending');
    failed = await insertDomain(app.prisma, tenant.tenantId, 'failed');
    const created = await asTenant('POST', '/v1/credentials', {
      name: 'app',
      domainIds: [verified.id],
      allowedSenders: [`app@${verified.name}`],
      ipAllowlist: ['198.51.100.0/24', '2001:db8::/32'],
      ratePerMinute: 30,
    });
    credential = created.body;
    route = (await asTenant('POST', '/v1/inbound-routes', { domainId: verified.id, pattern: '*', host: '127.0.0.1', port: 2525, tlsMode: 'opportunistic' })).body;
    suppression = (await asTenant('POST', '/v1/suppressions', { address: 'Gone@Example.com' })).body;
  });
  after(async () => {
    await app?.close();
  });

  describe('GET /v1/relay/policy', () => {
    it('refuses callers without a valid node token', async () => {
      for (const headers of [{}, { authorization: `Bearer ${strangerToken()}` }, { authorization: `Bearer ${operatorToken}` }, tenant.auth]) {
        const client = httpClient(app.url, headers as Record<string, string>);
        assert.equal((await client('GET', '/v1/relay/policy')).status, 401);
        assert.equal((await client('GET', '/v1/relay/policy/changes?since=0')).status, 401);
      }
    });

    it('is a full snapshot that matches the contract, at the current version', async () => {
      const { snapshot: policy, header } = await snapshot();
      const current = await version();
      assert.equal(policy.version, current);
      assert.equal(header, String(current));

      const mine = policy.tenants.find((t) => t.id === tenant.tenantId);
      assert.deepEqual(mine, {
        id: tenant.tenantId,
        status: 'active',
        statusReason: null,
        bounceNotices: false,
        // the override wins; everything else is the starter plan's
        limits: { messagesPerDay: 12_345, messagesPerMonth: 50_000, messagesPerMinute: 60, recipientsPerMessage: 100, maxMessageBytes: 25 * 1024 * 1024 },
        // inbound limits are the plan's own (port 25)
        inboundLimits: { messagesPerDay: 10_000, bytesPerDay: 1_000 * 1024 * 1024, backlogBytes: 100 * 1024 * 1024 },
      });
      const domains = policy.domains.filter((d) => d.tenantId === tenant.tenantId);
      assert.deepEqual(
        domains.map((d) => [d.name, d.verified]).sort(),
        [[pending.name, false], [verified.name, true]].sort(),
        'verified and pending domains, not failed ones',
      );
      assert.ok(!policy.domains.some((d) => d.id === failed.id));
      assert.deepEqual(policy.credentials.find((c) => c.id === credential.id), {
        id: credential.id,
        tenantId: tenant.tenantId,
        username: credential.username,
        secretDigest: secretDigest(credential.password),
        status: 'active',
        allowedDomainIds: [verified.id],
        allowedSenders: [`app@${verified.name}`],
        ipAllowlist: ['198.51.100.0/24', '2001:db8::/32'],
        ratePerMinute: 30,
      });
      assert.deepEqual(policy.inboundRoutes.find((r) => r.id === route.id), {
        id: route.id,
        tenantId: tenant.tenantId,
        domainId: verified.id,
        pattern: '*',
        action: 'forward',
        host: '127.0.0.1',
        port: 2525,
        tlsMode: 'opportunistic',
      });
      assert.deepEqual(policy.suppressions.find((s) => s.id === suppression.id), {
        id: suppression.id,
        tenantId: tenant.tenantId,
        address: 'gone@example.com',
      });
    });

    it('reads in pages without losing or repeating entities', async () => {
      for (let i = 0; i < 7; i += 1) {
        const other = await createTenantFixture(app.prisma);
        for (let k = 0; k < 3; k += 1) {
          await app.prisma.smtpCredential.create({
            data: { tenantId: other.tenantId, name: `app ${k}`, username: `paged-${other.tenantId}-${k}`, secretDigest: secretDigest(`pw-${k}`) },
          });
        }
      }
      // Statistics give the credentials a median id: they are then read in two ranges, each over several pages.
      await app.prisma.$executeRawUnsafe('ANALYZE smtp_credentials');
      const stats = await app.prisma.$queryRawUnsafe<{ bounds: number | null }[]>(
        `SELECT array_length(histogram_bounds::text::text[], 1) AS bounds FROM pg_stats WHERE tablename = 'smtp_credentials' AND attname = 'id' AND schemaname = current_schema()`,
      );
      assert.ok((stats[0]?.bounds ?? 0) > 2, 'the credentials have a histogram to split at');
      let body = '';
      let begunAt = -1;
      const version = await writeSnapshot(app.app.get<Pool>(POLICY_PG_POOL), { begin: (v) => (begunAt = v), write: async (chunk) => void (body += chunk) }, { pageSize: 2 });
      const paged = parsePolicySnapshot(JSON.parse(body));
      const whole = (await snapshot()).snapshot;
      assert.equal(begunAt, version);
      assert.equal(paged.tenants.length, await app.prisma.tenant.count());
      assert.ok(paged.tenants.length > 2 * 2, "spans several pages");
      assert.deepEqual({ ...paged, generatedAt: '' }, { ...whole, generatedAt: '' });
      assert.equal(new Set(paged.tenants.map((t) => t.id)).size, paged.tenants.length);
      assert.equal(paged.credentials.length, await app.prisma.smtpCredential.count());
      assert.equal(new Set(paged.credentials.map((c) => c.id)).size, paged.credentials.length);
    });

    it('never carries a plaintext password', async () => {
      const { snapshot: policy } = await snapshot();
      assert.ok(!JSON.stringify(policy).includes(credential.password));
    });
  });

  describe('change log ordering', () => {
    it('commits versions in order, so a node never skips a version that commits late', async () => {
      const change = { tenantId: tenant.tenantId, entity: 'tenant' as const, entityId: tenant.tenantId, op: 'upsert' as const };
      const order: string[] = [];
      let slowHoldsVersion!: () => void;
      const slowRecorded = new Promise<void>((resolve) => (slowHoldsVersion = resolve));
      const slow = app.prisma.$transaction(async (tx) => {
        const version = await recordPolicyChange(tx, change);
        slowHoldsVersion();
        await sleep(400);
        order.push('slow committed');
        return version;
      });
      // Signalled, not slept: on a loaded machine the first transaction may take long to get its version.
      await slowRecorded;
      const fast = app.prisma.$transaction(async (tx) => {
        const version = await recordPolicyChange(tx, change);
        order.push('fast committed');
        return version;
      });
      const [slowVersion, fastVersion] = await Promise.all([slow, fast]);
      assert.ok(fastVersion > slowVersion);
      assert.deepEqual(order, ['slow committed', 'fast committed'], 'the later version waited for the earlier one');
    });
  });

  describe('GET /v1/relay/policy/changes', () => {
    it('after a revoke carries exactly that change, and is small', async () => {
      const since = await version();
      assert.equal((await asTenant('POST', `/v1/credentials/${credential.id}/disable`)).status, 200);
      const response = await fetch(`${app.url}/v1/relay/policy/changes?since=${since}`, { headers: { authorization: asNodeToken() } });
      assert.equal(response.status, 200);
      const text = await response.text();
      const delta = parsePolicyDelta(JSON.parse(text));
      assert.equal(delta.fromVersion, since);
      assert.equal(delta.toVersion, await version());
      assert.equal(delta.changes.length, 1);
      const [change] = delta.changes;
      assert.equal(change?.kind, 'credential');
      assert.equal(change?.op, 'upsert');
      assert.equal(change?.op === 'upsert' && change.kind === 'credential' && change.value.status, 'disabled');
      assert.ok(text.length < 1_000, `delta is ${text.length} bytes`);
      await asTenant('POST', `/v1/credentials/${credential.id}/enable`);
    });

    it('folds several edits of one entity into its current state, and reports deletes', async () => {
      const since = await version();
      const temp = (await asTenant('POST', '/v1/credentials', { name: 'temp' })).body;
      await asTenant('PATCH', `/v1/credentials/${temp.id}`, { ratePerMinute: 5 });
      await asTenant('PATCH', `/v1/credentials/${temp.id}`, { ratePerMinute: 6 });
      const extra = (await asTenant('POST', '/v1/suppressions', { address: 'x@example.com' })).body;
      await asTenant('DELETE', `/v1/suppressions/${extra.id}`);
      const response = await asNode('GET', `/v1/relay/policy/changes?since=${since}`);
      assert.equal(response.status, 200);
      const delta = parsePolicyDelta(response.body);
      assert.deepEqual(
        delta.changes.map((c) => [c.kind, c.op, c.op === 'upsert' ? c.value.id : c.id]),
        [
          ['credential', 'upsert', temp.id],
          ['suppression', 'delete', extra.id],
        ],
      );
      const [upsert] = delta.changes;
      assert.equal(upsert?.op === 'upsert' && upsert.kind === 'credential' && upsert.value.ratePerMinute, 6);
    });

    it('reports a deleted domain together with its inbound routes and the credentials scoped to it', async () => {
      const doomed = await insertDomain(app.prisma, tenant.tenantId, 'verified');
      const scoped = (await asTenant('POST', '/v1/credentials', { name: 'scoped', domainIds: [doomed.id, verified.id] })).body;
      const doomedRoute = (await asTenant('POST', '/v1/inbound-routes', { domainId: doomed.id, pattern: 'info', host: '127.0.0.1', port: 2525, tlsMode: 'opportunistic' })).body;
      const since = await version();
      assert.equal((await asTenant('DELETE', `/v1/domains/${doomed.id}`)).status, 204);
      const response = await asNode('GET', `/v1/relay/policy/changes?since=${since}`);
      assert.equal(response.status, 200);
      const delta = parsePolicyDelta(response.body);
      const id = (c: (typeof delta.changes)[number]) => (c.op === 'upsert' ? c.value.id : c.id);
      assert.deepEqual(
        delta.changes.map((c) => [c.kind, c.op, id(c)]),
        [
          ['domain', 'delete', doomed.id],
          ['inboundRoute', 'delete', doomedRoute.id],
          ['credential', 'upsert', scoped.id],
        ],
      );
      const credentialChange = delta.changes.find((c) => c.kind === 'credential');
      assert.deepEqual(credentialChange?.op === 'upsert' && credentialChange.kind === 'credential' && credentialChange.value.allowedDomainIds, [verified.id]);
    });

    it('carries the tenant when its bounce-notice setting changes through PATCH /v1/tenant', async () => {
      const since = await version();
      assert.equal((await asTenant('PATCH', '/v1/tenant', { bounceNotices: true })).status, 200);
      const response = await asNode('GET', `/v1/relay/policy/changes?since=${since}`);
      assert.equal(response.status, 200);
      const delta = parsePolicyDelta(response.body);
      assert.deepEqual(
        delta.changes.map((c) => [c.kind, c.op, c.op === 'upsert' ? c.value.id : c.id, c.op === 'upsert' && c.kind === 'tenant' && c.value.bounceNotices]),
        [['tenant', 'upsert', tenant.tenantId, true]],
      );
      const mine = (await snapshot()).snapshot.tenants.find((t) => t.id === tenant.tenantId);
      assert.equal(mine?.bounceNotices, true);
      assert.equal((await asTenant('PATCH', '/v1/tenant', { bounceNotices: false })).status, 200);
    });

    it("carries a domain's inbound DMARC mode when PATCH /v1/domains/:id changes it; enforce by default", async () => {
      assert.equal((await snapshot()).snapshot.domains.find((d) => d.id === verified.id)?.inboundDmarc, 'enforce');
      const since = await version();
      assert.equal((await asTenant('PATCH', `/v1/domains/${verified.id}`, { inboundDmarc: 'mark' })).status, 200);
      const delta = parsePolicyDelta((await asNode('GET', `/v1/relay/policy/changes?since=${since}`)).body);
      assert.deepEqual(
        delta.changes.map((c) => [c.kind, c.op === 'upsert' && c.kind === 'domain' && c.value.inboundDmarc]),
        [['domain', 'mark']],
      );
      assert.equal((await snapshot()).snapshot.domains.find((d) => d.id === verified.id)?.inboundDmarc, 'mark');
      assert.equal((await asTenant('PATCH', `/v1/domains/${verified.id}`, { inboundDmarc: 'enforce' })).status, 200);
    });

    it('answers 204 at once when current and not asked to wait', async () => {
      const response = await asNode('GET', `/v1/relay/policy/changes?since=${await version()}`);
      assert.equal(response.status, 204);
    });

    it('holds a long-poll until a change arrives and returns with that change', async () => {
      const since = await version();
      const polled = asNode('GET', `/v1/relay/policy/changes?since=${since}&wait=20`);
      await sleep(300);
      const added = (await asTenant('POST', '/v1/suppressions', { address: 'late@example.com' })).body;
      const response = await polled;
      assert.equal(response.status, 200);
      const delta = parsePolicyDelta(response.body);
      assert.deepEqual(delta.changes, [{ kind: 'suppression', op: 'upsert', value: { id: added.id, tenantId: tenant.tenantId, address: 'late@example.com' } }]);
    });

    it('wakes every waiting node with the change', async () => {
      const since = await version();
      const polls = Array.from({ length: 20 }, () => asNode('GET', `/v1/relay/policy/changes?since=${since}&wait=20`));
      await sleep(300);
      await asTenant('POST', '/v1/suppressions', { address: 'many@example.com' });
      const responses = await Promise.all(polls);
      assert.deepEqual(new Set(responses.map((r) => r.status)), new Set([200]));
      assert.ok(responses.every((r) => r.body.changes.length === 1));
    });

    it('answers 204 when nothing changes within the wait', async () => {
      const response = await asNode('GET', `/v1/relay/policy/changes?since=${await version()}&wait=1`);
      assert.equal(response.status, 204);
    });

    it('answers 410 for a version ahead of ours or older than the log', async () => {
      const ahead = await asNode('GET', `/v1/relay/policy/changes?since=${(await version()) + 1000}`);
      assert.equal(ahead.status, 410);
      assert.equal(ahead.body.error.code, 'gone');
      const current = await version();
      await app.prisma.policyChange.deleteMany({ where: { version: { lt: current - 1 } } });
      assert.equal((await asNode('GET', '/v1/relay/policy/changes?since=1')).status, 410);
      assert.equal((await asNode('GET', `/v1/relay/policy/changes?since=${current - 2}`)).status, 200);
    });

    it('refuses bad parameters naming them', async () => {
      const fieldsOf = (body: { error: { fields?: { field: string }[] } }) => body.error.fields?.map((f) => f.field);
      assert.deepEqual(fieldsOf((await asNode('GET', '/v1/relay/policy/changes')).body), ['query.since']);
      assert.deepEqual(fieldsOf((await asNode('GET', '/v1/relay/policy/changes?since=-1')).body), ['query.since']);
      assert.deepEqual(fieldsOf((await asNode('GET', '/v1/relay/policy/changes?since=abc')).body), ['query.since']);
      assert.deepEqual(fieldsOf((await asNode('GET', '/v1/relay/policy/changes?since=0&wait=31')).body), ['query.wait']);
    });
  });
});
