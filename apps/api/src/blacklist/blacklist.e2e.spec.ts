import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { secretDigest } from '@smarthost/relay-policy';
import { startDnsServer, type TestDnsServer, waitFor } from '@smarthost/testkit';
import { insertDomain, strangerToken } from '../policy/policy-fixtures';
import { createTenantFixture, httpClient, type TenantFixture } from '../test/fixtures';
import { startTestApp, type TestApp } from '../test/test-app';
import { queryName } from './dnsbl';
import type { BlacklistCheckStatus, OperatorBlacklistView, TenantBlacklistView } from './blacklist-schemas';

const LISTED_IP = '11.0.2.10';
const REFUSED_IP = '11.0.2.20';
const CLEAN_IP = '2a00:1450::10';
// A node's interface address on a private network: never looked up.
const PRIVATE_IP = '10.0.0.5';
const PAUSED_IP = '11.0.2.30';
const IP_REASON = 'Listed: https://bl.test/lookup?ip=11.0.2.10';
const DOMAIN_REASON = 'https://dbl.test/lookup?d=a';

describe('DNS blocklist monitoring', () => {
  const operatorToken = randomBytes(32).toString('hex');
  let dns: TestDnsServer;
  let app: TestApp;
  let asOperator: ReturnType<typeof httpClient>;
  let tenantA: TenantFixture;
  let tenantB: TenantFixture;
  let domainA: { id: string; name: string };
  let domainB: { id: string; name: string };
  let nodeId: string;

  const requestCheck = async () => {
    const response = await asOperator<BlacklistCheckStatus>('POST', '/v1/operator/blacklist/check');
    assert.equal(response.status, 202, JSON.stringify(response.body));
    return response.body;
  };
  const statusOf = async (jobId: string) => {
    const response = await asOperator<BlacklistCheckStatus>('GET', `/v1/operator/blacklist/check/${jobId}`);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body;
  };
  const finished = (jobId: string) =>
    waitFor(
      async () => {
        const status = await statusOf(jobId);
        assert.notEqual(status.state, 'failed', app.logs.filter((line) => line.includes('blacklist check failed')).join('\n'));
        return status.state === 'finished' ? status : null;
      },
      { timeoutMs: 20_000, description: `check ${jobId} to finish` },
    );
  /** "Check now" as an operator uses it: queue the sweep, follow it until it has finished, read the listings. */
  const check = async () => {
    await finished((await requestCheck()).jobId);
    const response = await asOperator<OperatorBlacklistView>('GET', '/v1/operator/blacklist');
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body;
  };
  const viewOf = async (tenant: TenantFixture) => {
    const response = await httpClient(app.url, tenant.auth)<TenantBlacklistView>('GET', '/v1/blacklist');
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body;
  };
  const openListings = (target: string) => app.prisma.blacklistListing.findMany({ where: { target, delistedAt: null } });
  const checksOf = (target: string) => app.prisma.blacklistCheck.findMany({ where: { target }, orderBy: { checkedAt: 'asc' } });

  before(async () => {
    dns = await startDnsServer();
    // WORKERS: "check now" runs in the scheduled worker; its own schedule (hourly) first fires long after these tests.
    app = await startTestApp({
      DNS_SERVERS: dns.server,
      OPERATOR_TOKEN: operatorToken,
      DNSBL_IP_ZONES: 'bl.test',
      DNSBL_DOMAIN_ZONES: 'dbl.test',
      WORKERS: 'true',
    });
    asOperator = httpClient(app.url, { authorization: `Bearer ${operatorToken}` });
    const node = (await asOperator('POST', '/v1/operator/relay-nodes', { name: 'relay-bl.example' })).body as { id: string; token: string };
    nodeId = node.id;
    const beat = { version: '1.0.0', publicIps: [LISTED_IP, REFUSED_IP, CLEAN_IP, PRIVATE_IP], policyVersion: null, queueDepth: null };
    assert.equal((await httpClient(app.url, { authorization: `Bearer ${node.token}` })('POST', '/v1/relay/heartbeat', beat)).status, 200);
    await app.prisma.relayNode.create({ data: { name: 'relay-paused.example', tokenDigest: secretDigest(strangerToken()), status: 'paused', publicIps: [PAUSED_IP] } });
    [tenantA, tenantB] = [await createTenantFixture(app.prisma), await createTenantFixture(app.prisma)];
    [domainA, domainB] = [await insertDomain(app.prisma, tenantA.tenantId), await insertDomain(app.prisma, tenantB.tenantId)];

    dns.set('10.2.0.11.bl.test', 'A', ['127.0.0.2']);
    dns.set('10.2.0.11.bl.test', 'TXT', [IP_REASON]);
    dns.set('20.2.0.11.bl.test', 'A', ['127.255.255.254']);
    dns.set('30.2.0.11.bl.test', 'A', ['127.0.0.2']);
    dns.set(`${domainA.name}.dbl.test`, 'A', ['127.0.1.2']);
    dns.set(`${domainA.name}.dbl.test`, 'TXT', [DOMAIN_REASON]);
    dns.set(`${domainB.name}.dbl.test`, 'A', ['127.0.1.2']);
  });
  after(async () => {
    await app?.close();
    await dns?.close();
  });

  it('shows nothing before the first check', async () => {
    assert.deepEqual(await viewOf(tenantA), { checkedAt: null, zones: { ip: ['bl.test'], domain: ['dbl.test'] }, domains: [], relayIps: [] });
  });

  it('refuses the operator routes to a tenant and the tenant route to an anonymous caller', async () => {
    const tenant = httpClient(app.url, tenantA.auth);
    assert.equal((await tenant('GET', '/v1/operator/blacklist')).status, 401);
    assert.equal((await tenant('POST', '/v1/operator/blacklist/check')).status, 401);
    assert.equal((await httpClient(app.url)('GET', '/v1/blacklist')).status, 401);
    assert.equal(await app.prisma.blacklistCheck.count(), 0, 'the refused check ran nothing');
  });

  it('documents the routes in OpenAPI', async () => {
    const paths = (await httpClient(app.url)('GET', '/docs/openapi.json')).body.paths;
    assert.ok(paths['/v1/blacklist'].get.responses['200'].content);
    assert.ok(paths['/v1/operator/blacklist'].get);
    assert.ok(paths['/v1/operator/blacklist/check'].post.responses['202']);
    assert.ok(paths['/v1/operator/blacklist/check/{jobId}'].get);
  });

  it('refuses a check id it did not hand out, naming the field', async () => {
    const malformed = await asOperator<{ error: { fields: { field: string; message: string }[] } }>('GET', '/v1/operator/blacklist/check/not-a-check');
    assert.equal(malformed.status, 400);
    const [issue] = malformed.body.error.fields;
    assert.match(issue?.field ?? '', /^params/);
    assert.match(issue?.message ?? '', /check id/);
    assert.equal((await asOperator('GET', '/v1/operator/blacklist/check/check-00000000-0000-4000-8000-000000000000')).status, 404);
  });

  it('records what the lists answer: listings with their reason, nothing for a refused query or a paused node', async () => {
    const body = await check();
    const summary = body.listings.map((listing) => [listing.targetType, listing.target, listing.zone, listing.tenantId, listing.relayNodeId, listing.response]);
    assert.deepEqual(
      summary.sort(),
      [
        ['domain', domainA.name, 'dbl.test', tenantA.tenantId, null, DOMAIN_REASON],
        ['domain', domainB.name, 'dbl.test', tenantB.tenantId, null, '127.0.1.2'],
        ['ip', LISTED_IP, 'bl.test', null, nodeId, IP_REASON],
      ].sort(),
    );
    assert.ok(body.checkedAt);

    const viewA = await viewOf(tenantA);
    assert.deepEqual(viewA.domains.map(({ domainId, domain, zone, response }) => ({ domainId, domain, zone, response })), [
      { domainId: domainA.id, domain: domainA.name, zone: 'dbl.test', response: DOMAIN_REASON },
    ]);
    assert.deepEqual(viewA.relayIps.map(({ ip, zone, response }) => ({ ip, zone, response })), [{ ip: LISTED_IP, zone: 'bl.test', response: IP_REASON }]);
    assert.equal(viewA.domains[0]?.since, viewA.domains[0]?.lastSeenAt);
    assert.ok(viewA.checkedAt);
    assert.deepEqual((await viewOf(tenantB)).domains.map((listing) => listing.domainId), [domainB.id]);

    assert.equal((await checksOf(REFUSED_IP)).length, 0, 'a refusal code is no verdict');
    assert.equal((await checksOf(PAUSED_IP)).length, 0, 'a paused node sends nothing, so it is not checked');
    assert.deepEqual((await checksOf(CLEAN_IP)).map((row) => [row.listed, row.relayNodeId]), [[false, nodeId]]);
    assert.deepEqual(await checksOf(PRIVATE_IP), [], 'a private address is not sent to a blocklist');
    assert.ok(app.logs.some((line) => line.includes('blacklist listing appeared') && line.includes(LISTED_IP)));
    assert.ok(app.logs.some((line) => line.includes('blacklist lookup gave no verdict') && line.includes(REFUSED_IP)));
  });

  it('shows per zone how many lookups failed, the last error and the last answer', async () => {
    const { zoneHealth } = await check();
    const ipZone = zoneHealth.find((zone) => zone.zone === 'bl.test');
    assert.equal(ipZone?.failedLastSweep, 1, 'the refusal code of REFUSED_IP');
    assert.equal(ipZone?.lastError, 'answered 127.255.255.254');
    assert.ok(ipZone?.lastAnsweredAt && ipZone.lastErrorAt && ipZone.lastSweepAt);
    assert.ok(ipZone.failedTotal >= 2, 'failures add up over sweeps');
    const domainZone = zoneHealth.find((zone) => zone.zone === 'dbl.test');
    assert.deepEqual([domainZone?.failedLastSweep, domainZone?.lastError], [0, null]);
  });

  it('asks blocklists for A records only', async () => {
    const asked = dns.queries.length;
    await check();
    const types = new Set(dns.queries.slice(asked).filter((query) => query.name.endsWith('bl.test')).map((query) => query.type));
    assert.deepEqual([...types].sort(), ['A', 'TXT']);
  });

  it('answers at once while the sweep waits on a slow list, and a second request joins the running one', async () => {
    const slow = queryName('ip', CLEAN_IP, 'bl.test');
    dns.fail(slow, 'timeout');
    try {
      const first = await requestCheck();
      assert.notEqual(first.state, 'finished');
      assert.equal(first.summary, null);
      const second = await requestCheck();
      assert.equal(second.jobId, first.jobId);
      const done = await finished(first.jobId);
      assert.ok(done.summary && done.summary.failed >= 2, 'the timed-out lookup counts as failed');
    } finally {
      dns.unfail(slow);
    }
  });

  it('a listing found again is refreshed, not duplicated', async () => {
    const [first] = await openListings(LISTED_IP);
    await check();
    const again = await openListings(LISTED_IP);
    assert.equal(again.length, 1);
    assert.equal(again[0]?.id, first?.id);
    assert.deepEqual(again[0]?.firstSeenAt, first?.firstSeenAt);
    assert.ok(again[0]!.lastSeenAt > first!.lastSeenAt);
  });

  it('clears listings the lists dropped, and leaves one whose lookup failed as it was', async () => {
    const checksOfB = (await checksOf(domainB.name)).length;
    dns.remove('10.2.0.11.bl.test');
    dns.remove(`${domainA.name}.dbl.test`);
    dns.fail(`${domainB.name}.dbl.test`, 'servfail');
    await check();

    const viewA = await viewOf(tenantA);
    assert.deepEqual([viewA.domains, viewA.relayIps], [[], []]);
    for (const target of [LISTED_IP, domainA.name]) {
      const [listing] = await app.prisma.blacklistListing.findMany({ where: { target } });
      assert.ok(listing?.delistedAt, `${target} is delisted`);
      assert.equal((await checksOf(target)).at(-1)?.listed, false, `a clean check of ${target} was recorded`);
    }
    assert.ok(app.logs.some((line) => line.includes('blacklist listing cleared') && line.includes(LISTED_IP)));

    assert.deepEqual((await viewOf(tenantB)).domains.map((listing) => listing.domainId), [domainB.id]);
    assert.equal((await checksOf(domainB.name)).length, checksOfB, 'a failed lookup records no check');
    dns.unfail(`${domainB.name}.dbl.test`);
  });

  it('closes a listing when the list answers NXDOMAIN for A even though its AAAA answers fail', async () => {
    const name = '10.2.0.11.bl.test';
    dns.set(name, 'A', ['127.0.0.2']);
    await check();
    assert.equal((await openListings(LISTED_IP)).length, 1);
    dns.remove(name);
    dns.fail(name, 'servfail', 'AAAA');
    await check();
    assert.deepEqual(await openListings(LISTED_IP), []);
    dns.unfail(name, 'AAAA');
  });

  it('closes the listing of a domain that is no longer verified', async () => {
    await app.prisma.domain.update({ where: { id: domainB.id }, data: { status: 'failed', verifiedName: null } });
    await check();
    assert.deepEqual(await openListings(domainB.name), []);
    assert.deepEqual((await viewOf(tenantB)).domains, []);
  });
});
