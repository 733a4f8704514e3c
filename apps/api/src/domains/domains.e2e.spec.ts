import assert from 'node:assert/strict';
import { createPublicKey, randomUUID } from 'node:crypto';
import { domainToASCII } from 'node:url';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { DnsResolver } from '@smarthost/dns';
import { startDnsServer, type TestDnsServer } from '@smarthost/testkit';
import { createTenantFixture, httpClient, type TenantFixture } from '../test/fixtures';
import { startTestApp, type TestApp } from '../test/test-app';
import { DNS_RESOLVER } from './dns-resolver.provider';
import { publish, recordOf } from './test/publish-records';
import type { DomainView } from './domain-schemas';
import { recheckDomain } from './recheck-domain';

const RELAY = 'relay.smarthost.test';

describe('domains API', () => {
  let dns: TestDnsServer;
  let app: TestApp;
  let a: TenantFixture;
  let b: TenantFixture;
  let asA: ReturnType<typeof httpClient>;
  let asB: ReturnType<typeof httpClient>;
  const unique = () => `d${randomUUID().slice(0, 8)}.example-${randomUUID().slice(0, 4)}.test`;
  const add = async (name = unique()) => {
    const response = await asA<DomainView>('POST', '/v1/domains', { name });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body;
  };
  const verify = (id: string, as = asA) => as<DomainView>('POST', `/v1/domains/${id}/verify`);

  before(async () => {
    dns = await startDnsServer();
    app = await startTestApp({ DNS_SERVERS: dns.server, RELAY_HOSTNAME: RELAY });
    a = await createTenantFixture(app.prisma);
    b = await createTenantFixture(app.prisma);
    asA = httpClient(app.url, a.auth);
    asB = httpClient(app.url, b.auth);
  });
  after(async () => {
    await app?.close();
    await dns?.close();
  });
  beforeEach(() => dns.clear());

  describe('POST /v1/domains', () => {
    it('normalises the name and returns every record to publish, with zone lines', async () => {
      const name = unique();
      const created = await add(`  ${name.toUpperCase()}. `);
      assert.equal(created.name, name);
      assert.equal(created.status, 'pending');
      assert.deepEqual(created.records.map((record) => record.kind).sort(), ['dkim', 'dmarc', 'mx', 'ownership', 'return_path', 'spf']);
      assert.ok(created.records.every((record) => record.status === 'pending' && record.lastCheckedAt === null));

      const ownership = recordOf(created, 'ownership');
      assert.equal(ownership.host, `_smarthost.${name}`);
      assert.match(ownership.value, /^smarthost-verification=[0-9a-f]{32}$/);
      assert.match(recordOf(created, 'spf').value, new RegExp(`include:spf\\.${RELAY.replace(/\./g, '\\.')}`));
      assert.deepEqual(pick(recordOf(created, 'return_path')), { host: `bounces.${name}`, type: 'CNAME', value: RELAY, required: true });
      assert.deepEqual(pick(recordOf(created, 'mx')), { host: name, type: 'MX', value: RELAY, required: false });
      assert.equal(recordOf(created, 'dmarc').required, false);
      assert.match(recordOf(created, 'dmarc').value, /^v=DMARC1; p=none; rua=mailto:/);

      const dkim = recordOf(created, 'dkim');
      assert.match(dkim.host, new RegExp(`^sh\\d{6}[0-9a-f]{6}\\._domainkey\\.${name.replace(/\./g, '\\.')}$`));
      const p = /^v=DKIM1; k=rsa; p=([A-Za-z0-9+/=]+)$/.exec(dkim.value)?.[1];
      assert.ok(p, dkim.value);
      const publicKey = createPublicKey({ key: Buffer.from(p, 'base64'), format: 'der', type: 'spki' });
      assert.equal(publicKey.asymmetricKeyDetails?.modulusLength, 2048);
      assert.equal(created.dkimKeys.length, 1);
      assert.equal(created.dkimKeys[0]!.status, 'pending');

      assert.ok(created.zone.some((line) => line.startsWith(`_smarthost.${name}. 3600 IN TXT "smarthost-verification=`)));
      assert.ok(created.zone.some((line) => line === `bounces.${name}. 3600 IN CNAME ${RELAY}.`));
      assert.ok(!created.zone.some((line) => / IN MX /.test(line)), 'no MX to us while inbound is off');
      const dkimLine = created.zone.find((line) => line.startsWith(`${dkim.host}.`))!;
      assert.match(dkimLine, /^\S+ 3600 IN TXT "v=DKIM1; k=rsa; p=[^"]{200,}" "[^"]+"/, 'a 2048-bit key spans two character-strings');
    });

    it('stores an internationalised name as punycode', async () => {
      const label = `bücher-${randomUUID().slice(0, 6)}`;
      const created = await add(`${label}.TEST`);
      assert.equal(created.name, domainToASCII(`${label}.test`));
      assert.match(created.name, /^xn--/);
      assert.equal(created.unicodeName, `${label}.test`);
    });

    const bad: [string, unknown][] = [
      ['empty', ''],
      ['a space', 'exa mple.com'],
      ['a leading hyphen', '-bad.example.com'],
      ['an IPv4 literal', '192.0.2.1'],
      ['an address literal', '[192.0.2.1]'],
      ['an IPv6 literal', '2001:db8::1'],
      ['a single label', 'localhost'],
      ['a label over 63 characters', `${'a'.repeat(64)}.example.com`],
      ['an underscore', 'bad_name.example.com'],
      ['a public suffix', 'com'],
      ['a multi-label public suffix', 'co.uk'],
      ['a public suffix with a trailing dot', 'CO.UK.'],
      ['a number', 42],
    ];
    for (const [title, name] of bad) {
      it(`refuses ${title} with a 400 naming body.name`, async () => {
        const response = await asA('POST', '/v1/domains', { name });
        assert.equal(response.status, 400, JSON.stringify(response.body));
        assert.equal(response.body.error.fields[0].field, 'body.name');
      });
    }

    it('says why a public suffix is refused, and refuses a missing name and unknown fields', async () => {
      const suffix = await asA('POST', '/v1/domains', { name: 'co.uk' });
      assert.match(suffix.body.error.message, /public suffix/);
      const missing = await asA('POST', '/v1/domains', {});
      assert.equal(missing.status, 400);
      assert.equal(missing.body.error.fields[0].field, 'body.name');
      const extra = await asA('POST', '/v1/domains', { name: unique(), status: 'verified' });
      assert.equal(extra.status, 400);
    });

    it('refuses the same domain twice in one tenant, whatever the spelling (409)', async () => {
      const created = await add();
      const again = await asA('POST', '/v1/domains', { name: `${created.name.toUpperCase()}.` });
      assert.equal(again.status, 409);
    });
  });

  describe('GET, PATCH, DELETE', () => {
    it('lists newest first with cursor pagination, only the caller tenant', async () => {
      const first = await add();
      const second = await add();
      await asB('POST', '/v1/domains', { name: unique() });
      const page1 = await asA('GET', '/v1/domains?limit=1');
      assert.equal(page1.status, 200);
      assert.deepEqual(page1.body.items.map((d: DomainView) => d.id), [second.id]);
      assert.ok(page1.body.nextCursor);
      const page2 = await asA('GET', `/v1/domains?limit=1&cursor=${page1.body.nextCursor}`);
      assert.deepEqual(page2.body.items.map((d: DomainView) => d.id), [first.id]);
      const all = await asA('GET', '/v1/domains?limit=200');
      const tenants = await app.prisma.domain.findMany({ where: { id: { in: all.body.items.map((d: DomainView) => d.id) } }, select: { tenantId: true } });
      assert.ok(tenants.every((row) => row.tenantId === a.tenantId));
      const bad = await asA('GET', '/v1/domains?limit=0');
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.fields[0].field, 'query.limit');
    });

    it('gets one domain with its records', async () => {
      const created = await add();
      const got = await asA<DomainView>('GET', `/v1/domains/${created.id}`);
      assert.equal(got.status, 200);
      assert.deepEqual(got.body, created);
    });

    it('turns inbound on: the MX becomes required and part of the zone, and the policy version moves', async () => {
      const created = await add();
      const before = await policyChanges(created.id);
      const patched = await asA<DomainView>('PATCH', `/v1/domains/${created.id}`, { inboundEnabled: true });
      assert.equal(patched.status, 200);
      assert.equal(patched.body.inboundEnabled, true);
      assert.equal(recordOf(patched.body, 'mx').required, true);
      assert.ok(patched.body.zone.includes(`${created.name}. 3600 IN MX 10 ${RELAY}.`));
      assert.equal(await policyChanges(created.id), before + 1);
      assert.equal(await auditCount('domain.updated', created.id), 1);
      const bad = await asA('PATCH', `/v1/domains/${created.id}`, { inboundEnabled: 'yes' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.fields[0].field, 'body.inboundEnabled');
    });

    it('sets what inbound DMARC p=reject failures get: enforce (the default) or mark, naming a bad value', async () => {
      const created = await add();
      assert.equal(created.inboundDmarc, 'enforce');
      const before = await policyChanges(created.id);
      const patched = await asA<DomainView>('PATCH', `/v1/domains/${created.id}`, { inboundDmarc: 'mark' });
      assert.equal(patched.status, 200);
      assert.deepEqual([patched.body.inboundDmarc, patched.body.inboundEnabled], ['mark', false]);
      assert.equal(await policyChanges(created.id), before + 1);
      assert.equal((await asA<DomainView>('GET', `/v1/domains/${created.id}`)).body.inboundDmarc, 'mark');
      const bad = await asA('PATCH', `/v1/domains/${created.id}`, { inboundDmarc: 'quarantine' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.fields[0].field, 'body.inboundDmarc');
      const empty = await asA('PATCH', `/v1/domains/${created.id}`, {});
      assert.equal(empty.status, 400);
    });

    it('deletes a domain: 204, then 404, and a delete in the policy log', async () => {
      const created = await add();
      const deleted = await asA('DELETE', `/v1/domains/${created.id}`);
      assert.equal(deleted.status, 204);
      assert.equal((await asA('GET', `/v1/domains/${created.id}`)).status, 404);
      assert.equal((await asA('DELETE', `/v1/domains/${created.id}`)).status, 404);
      const ops = await app.prisma.policyChange.findMany({ where: { entity: 'domain', entityId: created.id }, select: { op: true } });
      assert.deepEqual(ops.map((row) => row.op), ['upsert', 'delete']);
      assert.equal(await auditCount('domain.removed', created.id), 1);
      assert.equal(await app.prisma.dkimKey.count({ where: { domainId: created.id } }), 0);
    });

    it('answers 400 for an id that is not a UUID', async () => {
      assert.equal((await asA('GET', '/v1/domains/not-a-uuid')).status, 400);
    });
  });

  describe('POST /v1/domains/:id/verify', () => {
    it('verifies when ownership, SPF and DKIM are published; activates the first key; records policy and audit', async () => {
      const created = await add();
      publish(dns, created, { only: ['ownership', 'spf', 'dkim'] });
      const verified = await verify(created.id);
      assert.equal(verified.status, 200, JSON.stringify(verified.body));
      assert.equal(verified.body.status, 'verified');
      assert.ok(verified.body.verifiedAt);
      for (const kind of ['ownership', 'spf', 'dkim'] as const) assert.equal(recordOf(verified.body, kind).status, 'ok');
      const dmarc = recordOf(verified.body, 'dmarc');
      assert.equal(dmarc.status, 'missing', 'DMARC shows whether one exists but does not gate');
      assert.ok(dmarc.lastCheckedAt);
      assert.equal(verified.body.dkimKeys[0]!.status, 'active');
      assert.equal(verified.body.drift, false);
      const row = await app.prisma.domain.findUniqueOrThrow({ where: { id: created.id } });
      assert.equal(row.verifiedName, created.name);
      assert.equal(await auditCount('domain.verified', created.id), 1);
      assert.ok((await policyChanges(created.id)) >= 2);

      const again = await verify(created.id);
      assert.equal(again.body.status, 'verified');
      assert.equal(await auditCount('domain.verified', created.id), 1, 'no status change, no second entry');
    });

    it('stays pending with the record marked missing when the ownership TXT is not published', async () => {
      const created = await add();
      publish(dns, created, { only: ['spf', 'dkim'] });
      const result = await verify(created.id);
      assert.equal(result.body.status, 'pending');
      const ownership = recordOf(result.body, 'ownership');
      assert.equal(ownership.status, 'missing');
      assert.match(ownership.detail ?? '', /no TXT record/);
      assert.equal(recordOf(result.body, 'spf').status, 'ok');
      assert.equal(result.body.dkimKeys[0]!.status, 'pending');
    });

    it('shows a mismatch with what DNS actually says', async () => {
      const created = await add();
      publish(dns, created);
      dns.set(`_smarthost.${created.name}`, 'TXT', ['smarthost-verification=not-the-token']);
      dns.set(created.name, 'TXT', ['v=spf1 include:_spf.example.net ~all']);
      const result = await verify(created.id);
      assert.equal(result.body.status, 'pending');
      const ownership = recordOf(result.body, 'ownership');
      assert.equal(ownership.status, 'mismatch');
      assert.equal(ownership.seenValue, 'smarthost-verification=not-the-token');
      const spf = recordOf(result.body, 'spf');
      assert.equal(spf.status, 'mismatch');
      assert.match(spf.detail ?? '', /does not contain include:spf\./);
      assert.equal(recordOf(result.body, 'return_path').status, 'ok');
    });

    it('flags drift on a verified domain and fails it only when ownership is lost', async () => {
      const created = await add();
      publish(dns, created);
      assert.equal((await verify(created.id)).body.status, 'verified');
      const resolver = app.app.get<DnsResolver>(DNS_RESOLVER);

      dns.remove(created.name, 'TXT');
      assert.equal(await recheckDomain(app.prisma, resolver, created.id), 'rechecked');
      const drifted = (await asA<DomainView>('GET', `/v1/domains/${created.id}`)).body;
      assert.equal(drifted.status, 'verified', 'SPF drift does not stop mail');
      assert.equal(drifted.drift, true);
      const spf = recordOf(drifted, 'spf');
      assert.deepEqual([spf.status, spf.drift], ['missing', true]);
      assert.ok(spf.lastOkAt);
      assert.equal(recordOf(drifted, 'dmarc').drift, false);

      dns.fail(`_smarthost.${created.name}`, 'servfail');
      await recheckDomain(app.prisma, resolver, created.id);
      const flaky = (await asA<DomainView>('GET', `/v1/domains/${created.id}`)).body;
      assert.equal(flaky.status, 'verified', 'a DNS failure never un-verifies');
      assert.equal(recordOf(flaky, 'ownership').status, 'error');

      dns.unfail(`_smarthost.${created.name}`);
      dns.remove(`_smarthost.${created.name}`);
      await recheckDomain(app.prisma, resolver, created.id);
      const lost = (await asA<DomainView>('GET', `/v1/domains/${created.id}`)).body;
      assert.equal(lost.status, 'failed');
      assert.equal(recordOf(lost, 'ownership').status, 'missing');
      const row = await app.prisma.domain.findUniqueOrThrow({ where: { id: created.id } });
      assert.equal(row.verifiedName, null, 'the claim is released');
      const entry = await app.prisma.auditLog.findFirstOrThrow({ where: { action: 'domain.verification_lost', targetId: created.id } });
      assert.equal(entry.tenantId, a.tenantId);
      assert.equal((entry.metadata as { by?: string }).by, 'scheduler');
      assert.equal(await recheckDomain(app.prisma, resolver, created.id), 'skipped', 'only verified domains are re-checked');

      publish(dns, created);
      assert.equal((await verify(created.id)).body.status, 'verified', 'the owner re-verifies by publishing again');
    });
  });

  describe('ownership across tenants', () => {
    it('a second tenant cannot add a domain another tenant verified', async () => {
      const created = await add();
      publish(dns, created);
      assert.equal((await verify(created.id)).body.status, 'verified');
      const claim = await asB('POST', '/v1/domains', { name: created.name });
      assert.equal(claim.status, 409);
      assert.match(claim.body.error.message, /verified by another tenant/);
    });

    it('when two tenants add the same name, only the first to verify gets it', async () => {
      const name = unique();
      const mine = await add(name);
      const theirs = (await asB<DomainView>('POST', '/v1/domains', { name })).body;
      publish(dns, mine);
      dns.set(`_smarthost.${name}`, 'TXT', [recordOf(mine, 'ownership').value, recordOf(theirs, 'ownership').value]);
      dns.set(recordOf(theirs, 'dkim').host, 'TXT', [recordOf(theirs, 'dkim').value]);
      assert.equal((await verify(mine.id)).body.status, 'verified');
      const late = await verify(theirs.id, asB);
      assert.equal(late.status, 409);
      const row = await app.prisma.domain.findUniqueOrThrow({ where: { id: theirs.id } });
      assert.equal(row.status, 'pending');
    });

    it("answers 404 for another tenant's domain on every route", async () => {
      const theirs = (await asB<DomainView>('POST', '/v1/domains', { name: unique() })).body;
      publish(dns, theirs);
      assert.equal((await verify(theirs.id, asB)).body.status, 'verified');
      const keyId = theirs.dkimKeys[0]!.id;
      const routes: [string, string, unknown?][] = [
        ['GET', `/v1/domains/${theirs.id}`],
        ['PATCH', `/v1/domains/${theirs.id}`, { inboundEnabled: true }],
        ['PATCH', `/v1/domains/${theirs.id}`, { inboundDmarc: 'mark' }],
        ['POST', `/v1/domains/${theirs.id}/verify`],
        ['POST', `/v1/domains/${theirs.id}/dkim/rotate`],
        ['POST', `/v1/domains/${theirs.id}/dkim/${keyId}/activate`],
        ['DELETE', `/v1/domains/${theirs.id}`],
      ];
      for (const [method, path, body] of routes) {
        const response = await asA(method, path, body);
        assert.equal(response.status, 404, `${method} ${path}`);
      }
      const still = await asB<DomainView>('GET', `/v1/domains/${theirs.id}`);
      assert.equal(still.body.inboundEnabled, false);
      assert.equal(still.body.dkimKeys.length, 1);
    });

    it('a viewer can read but not write', async () => {
      const viewer = httpClient(app.url, (await createTenantFixture(app.prisma, 'viewer')).auth);
      assert.equal((await viewer('GET', '/v1/domains')).status, 200);
      assert.equal((await viewer('POST', '/v1/domains', { name: unique() })).status, 403);
    });

    it('documents every route in OpenAPI', async () => {
      const doc = await httpClient(app.url)('GET', '/docs/openapi.json');
      const paths = Object.keys(doc.body.paths);
      for (const path of ['/v1/domains', '/v1/domains/{id}', '/v1/domains/{id}/verify', '/v1/domains/{id}/dkim/rotate', '/v1/domains/{id}/dkim/{keyId}/activate']) {
        assert.ok(paths.includes(path), path);
      }
      assert.ok(doc.body.paths['/v1/domains'].post.requestBody, 'the request body schema comes from zod');
    });

    it('refuses a caller without credentials', async () => {
      assert.equal((await httpClient(app.url)('GET', '/v1/domains')).status, 401);
    });
  });

  const pick = (record: DomainView['records'][number]) => ({ host: record.host, type: record.type, value: record.value, required: record.required });
  const policyChanges = (id: string) => app.prisma.policyChange.count({ where: { entity: 'domain', entityId: id } });
  const auditCount = (action: string, id: string) => app.prisma.auditLog.count({ where: { action, targetId: id } });
});
