import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { secretDigest, verifySecret } from '@smarthost/relay-policy';
import { insertDomain } from '../policy/policy-fixtures';
import { createTenantFixture, httpClient, type TenantFixture } from '../test/fixtures';
import { startTestApp, type TestApp } from '../test/test-app';

const RELAY = 'relay.smarthost.test';

describe('credentials API', () => {
  let app: TestApp;
  let a: TenantFixture;
  let b: TenantFixture;
  let asA: ReturnType<typeof httpClient>;
  let asB: ReturnType<typeof httpClient>;
  let domainA: { id: string; name: string };
  let domainA2: { id: string; name: string };
  let domainB: { id: string; name: string };

  const create = async (body: Record<string, unknown> = {}) => {
    const response = await asA('POST', '/v1/credentials', { name: 'app server', ...body });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body;
  };
  const digestOf = async (id: string) =>
    (await app.prisma.smtpCredential.findUniqueOrThrow({ where: { id }, select: { secretDigest: true } })).secretDigest;
  const changesFor = (entityId: string) =>
    app.prisma.policyChange.findMany({ where: { entityId }, orderBy: { version: 'asc' }, select: { entity: true, op: true } });
  const fieldsOf = (body: { error: { fields?: { field: string }[] } }) => body.error.fields?.map((f) => f.field);

  before(async () => {
    app = await startTestApp({ RELAY_HOSTNAME: RELAY });
    a = await createTenantFixture(app.prisma);
    b = await createTenantFixture(app.prisma);
    asA = httpClient(app.url, a.auth);
    asB = httpClient(app.url, b.auth);
    domainA = await insertDomain(app.prisma, a.tenantId, 'verified');
    domainA2 = await insertDomain(app.prisma, a.tenantId, 'pending');
    domainB = await insertDomain(app.prisma, b.tenantId, 'verified');
  });
  after(async () => {
    await app?.close();
  });

  describe('POST /v1/credentials', () => {
    it('generates a username and a 192-bit password, shown once with ready-to-use settings', async () => {
      const created = await create();
      assert.match(created.username, /^smtp_[a-z2-7]{12}$/);
      assert.match(created.password, /^[A-Za-z0-9]{32}$/);
      assert.deepEqual(created.smtp, {
        host: RELAY,
        username: created.username,
        ports: [
          { port: 587, security: 'starttls' },
          { port: 465, security: 'tls' },
        ],
        certificate: 'trusted',
        authMechanisms: ['PLAIN', 'LOGIN'],
      });
      assert.equal(created.status, 'active');
      assert.equal(created.allDomains, true);
      assert.deepEqual(created.domainIds, []);
      assert.equal(created.secretDigest, undefined);
      assert.equal(await digestOf(created.id), secretDigest(created.password));

      const fetched = await asA('GET', `/v1/credentials/${created.id}`);
      const listed = await asA('GET', '/v1/credentials?limit=200');
      for (const later of [fetched, listed]) {
        assert.equal(later.status, 200);
        const text = JSON.stringify(later.body);
        assert.ok(!text.includes(created.password), 'password must never be shown again');
        assert.ok(!text.includes(secretDigest(created.password)), 'the digest is never shown');
        assert.ok(!text.includes('secretDigest'));
      }
      assert.equal(fetched.body.username, created.username);
      assert.ok(listed.body.items.some((item: { id: string }) => item.id === created.id));
      assert.ok(!app.logs.some((line) => line.includes(created.password)), 'password must never be logged');
    });

    it('records a policy change and an audit entry in the same write', async () => {
      const created = await create();
      assert.deepEqual(await changesFor(created.id), [{ entity: 'credential', op: 'upsert' }]);
      const audit = await app.prisma.auditLog.findFirst({ where: { targetId: created.id } });
      assert.equal(audit?.action, 'credential.created');
      assert.ok(!JSON.stringify(audit?.metadata).includes(created.password));
    });

    it('scopes to listed domains and normalises allowed senders to them', async () => {
      const created = await create({
        domainIds: [domainA.id, domainA2.id],
        allowedSenders: [`  Billing@${domainA.name.toUpperCase()} `, `news@${domainA2.name}`],
      });
      assert.equal(created.allDomains, false);
      assert.deepEqual(created.domainIds, [domainA.id, domainA2.id].sort());
      assert.deepEqual(created.allowedSenders, [`billing@${domainA.name}`, `news@${domainA2.name}`]);
    });

    it("refuses another tenant's domain, naming body.domainIds", async () => {
      const response = await asA('POST', '/v1/credentials', { name: 'x', domainIds: [domainA.id, domainB.id] });
      assert.equal(response.status, 400);
      assert.deepEqual(fieldsOf(response.body), ['body.domainIds.1']);
      const unknown = await asA('POST', '/v1/credentials', { name: 'x', domainIds: [randomUUID()] });
      assert.deepEqual(fieldsOf(unknown.body), ['body.domainIds.0']);
      const malformed = await asA('POST', '/v1/credentials', { name: 'x', domainIds: ['nope'] });
      assert.equal(malformed.status, 400);
      assert.deepEqual(fieldsOf(malformed.body), ['body.domainIds.0']);
    });

    it('refuses contradictory domain scopes', async () => {
      const both = await asA('POST', '/v1/credentials', { name: 'x', allDomains: true, domainIds: [domainA.id] });
      assert.equal(both.status, 400);
      assert.deepEqual(fieldsOf(both.body), ['body.domainIds']);
      const none = await asA('POST', '/v1/credentials', { name: 'x', allDomains: false });
      assert.equal(none.status, 400);
      assert.deepEqual(fieldsOf(none.body), ['body.domainIds']);
    });

    it('refuses senders outside the scope or that are not plain addresses', async () => {
      const foreign = await asA('POST', '/v1/credentials', { name: 'x', allowedSenders: [`me@${domainB.name}`] });
      assert.equal(foreign.status, 400);
      assert.deepEqual(fieldsOf(foreign.body), ['body.allowedSenders.0']);
      const outside = await asA('POST', '/v1/credentials', {
        name: 'x',
        domainIds: [domainA.id],
        allowedSenders: [`ok@${domainA.name}`, `me@${domainA2.name}`],
      });
      assert.equal(outside.status, 400);
      assert.deepEqual(fieldsOf(outside.body), ['body.allowedSenders.1']);
      for (const bad of ['no-at-sign', `"quoted"@${domainA.name}`, `a%b@${domainA.name}`, 'x@[127.0.0.1]']) {
        const response = await asA('POST', '/v1/credentials', { name: 'x', allowedSenders: [bad] });
        assert.equal(response.status, 400, bad);
        assert.deepEqual(fieldsOf(response.body), ['body.allowedSenders.0'], bad);
      }
    });

    it('validates and normalises IPv4 and IPv6 allowlist entries', async () => {
      const created = await create({
        ipAllowlist: ['203.0.113.7/24', '198.51.100.9', '2001:DB8::1/32', '::ffff:192.0.2.1/128'],
      });
      assert.deepEqual(created.ipAllowlist, ['203.0.113.0/24', '198.51.100.9/32', '2001:db8::/32', '192.0.2.1/32']);
      for (const bad of ['10.1', '0x7f.0.0.1', '10.0.0.0/33', '2001:db8::/129', 'example.com', '1.2.3.4/']) {
        const response = await asA('POST', '/v1/credentials', { name: 'x', ipAllowlist: ['10.0.0.0/8', bad] });
        assert.equal(response.status, 400, bad);
        assert.deepEqual(fieldsOf(response.body), ['body.ipAllowlist.1'], bad);
      }
    });

    it('refuses bad names, rates and unknown fields', async () => {
      const cases: [unknown, string][] = [
        [{ name: '' }, 'body.name'],
        [{}, 'body.name'],
        [{ name: 'x', ratePerMinute: 0 }, 'body.ratePerMinute'],
        [{ name: 'x', ratePerMinute: 1.5 }, 'body.ratePerMinute'],
        [{ name: 'x', password: 'chosen-by-me' }, 'body'],
      ];
      for (const [body, field] of cases) {
        const response = await asA('POST', '/v1/credentials', body);
        assert.equal(response.status, 400, JSON.stringify(body));
        assert.ok(fieldsOf(response.body)?.includes(field), `${JSON.stringify(body)}: ${JSON.stringify(response.body)}`);
      }
    });

    it('is refused to a viewer', async () => {
      const viewer = await createTenantFixture(app.prisma, 'viewer');
      const response = await httpClient(app.url, viewer.auth)('POST', '/v1/credentials', { name: 'x' });
      assert.equal(response.status, 403);
      assert.equal((await httpClient(app.url, viewer.auth)('GET', '/v1/credentials')).status, 200);
    });
  });

  describe('GET /v1/credentials', () => {
    it('pages and filters by status, showing only the caller tenant', async () => {
      const mine = await create({ name: 'paged' });
      await asA('POST', `/v1/credentials/${mine.id}/disable`);
      const disabled = await asA('GET', '/v1/credentials?status=disabled');
      assert.ok(disabled.body.items.every((item: { status: string }) => item.status === 'disabled'));
      assert.ok(disabled.body.items.some((item: { id: string }) => item.id === mine.id));
      const page = await asA('GET', '/v1/credentials?limit=1');
      assert.equal(page.body.items.length, 1);
      assert.ok(page.body.nextCursor);
      const theirs = await asB('GET', '/v1/credentials');
      assert.deepEqual(theirs.body.items, []);
      assert.equal((await asA('GET', '/v1/credentials?status=gone')).status, 400);
    });
  });

  describe('PATCH /v1/credentials/:id', () => {
    it('changes name, scope, allowlist and rate, and records a policy change', async () => {
      const created = await create();
      const updated = await asA('PATCH', `/v1/credentials/${created.id}`, {
        name: 'renamed',
        domainIds: [domainA.id],
        allowedSenders: [`app@${domainA.name}`],
        ipAllowlist: ['2001:db8::/48'],
        ratePerMinute: 120,
      });
      assert.equal(updated.status, 200, JSON.stringify(updated.body));
      assert.equal(updated.body.name, 'renamed');
      assert.equal(updated.body.allDomains, false);
      assert.deepEqual(updated.body.domainIds, [domainA.id]);
      assert.deepEqual(updated.body.ipAllowlist, ['2001:db8::/48']);
      assert.equal(updated.body.ratePerMinute, 120);

      const widened = await asA('PATCH', `/v1/credentials/${created.id}`, { allDomains: true, ratePerMinute: null });
      assert.equal(widened.status, 200, JSON.stringify(widened.body));
      assert.equal(widened.body.allDomains, true);
      assert.deepEqual(widened.body.domainIds, []);
      assert.deepEqual(widened.body.allowedSenders, [`app@${domainA.name}`]);
      assert.equal(widened.body.ratePerMinute, null);
      assert.equal((await changesFor(created.id)).length, 3);
      assert.equal(await digestOf(created.id), secretDigest(created.password), 'updates leave the password alone');
    });

    it('validates the merged scope and the input', async () => {
      const created = await create({ domainIds: [domainA.id], allowedSenders: [`app@${domainA.name}`] });
      const narrowed = await asA('PATCH', `/v1/credentials/${created.id}`, { domainIds: [domainA2.id] });
      assert.equal(narrowed.status, 400, 'the kept sender would fall outside the new domains');
      assert.deepEqual(fieldsOf(narrowed.body), ['body.allowedSenders.0']);
      assert.equal((await asA('PATCH', `/v1/credentials/${created.id}`, {})).status, 400);
      const badCidr = await asA('PATCH', `/v1/credentials/${created.id}`, { ipAllowlist: ['300.0.0.0/8'] });
      assert.deepEqual(fieldsOf(badCidr.body), ['body.ipAllowlist.0']);
      assert.equal((await asA('PATCH', '/v1/credentials/not-a-uuid', { name: 'x' })).status, 400);
    });
  });

  describe('disable, enable, rotate, delete', () => {
    it('disables and enables', async () => {
      const created = await create();
      const disabled = await asA('POST', `/v1/credentials/${created.id}/disable`);
      assert.equal(disabled.status, 200);
      assert.equal(disabled.body.status, 'disabled');
      const enabled = await asA('POST', `/v1/credentials/${created.id}/enable`);
      assert.equal(enabled.body.status, 'active');
      const actions = await app.prisma.auditLog.findMany({ where: { targetId: created.id }, orderBy: { id: 'asc' } });
      assert.deepEqual(actions.map((entry) => entry.action), ['credential.created', 'credential.disabled', 'credential.enabled']);
    });

    it('rotates: the new password is shown once and the old one no longer matches', async () => {
      const created = await create();
      const rotated = await asA('POST', `/v1/credentials/${created.id}/rotate`);
      assert.equal(rotated.status, 200);
      assert.match(rotated.body.password, /^[A-Za-z0-9]{32}$/);
      assert.notEqual(rotated.body.password, created.password);
      assert.equal(rotated.body.username, created.username);
      assert.ok(rotated.body.rotatedAt);
      const digest = await digestOf(created.id);
      assert.ok(verifySecret(rotated.body.password, digest));
      assert.ok(!verifySecret(created.password, digest));
      const later = JSON.stringify((await asA('GET', `/v1/credentials/${created.id}`)).body);
      assert.ok(!later.includes(rotated.body.password));
      assert.ok(!app.logs.some((line) => line.includes(rotated.body.password)));
      assert.deepEqual((await changesFor(created.id)).map((c) => c.op), ['upsert', 'upsert']);
    });

    it('deletes, recording a delete change', async () => {
      const created = await create();
      assert.equal((await asA('DELETE', `/v1/credentials/${created.id}`)).status, 204);
      assert.equal((await asA('GET', `/v1/credentials/${created.id}`)).status, 404);
      assert.equal((await asA('DELETE', `/v1/credentials/${created.id}`)).status, 404);
      assert.deepEqual((await changesFor(created.id)).map((c) => c.op), ['upsert', 'delete']);
    });
  });

  it("answers 404 for another tenant's credential on every route, changing nothing", async () => {
    const created = await create();
    const path = `/v1/credentials/${created.id}`;
    const attempts: [string, string, unknown?][] = [
      ['GET', path],
      ['PATCH', path, { name: 'stolen' }],
      ['POST', `${path}/disable`],
      ['POST', `${path}/enable`],
      ['POST', `${path}/rotate`],
      ['DELETE', path],
    ];
    for (const [method, url, body] of attempts) {
      const response = await asB(method, url, body);
      assert.equal(response.status, 404, `${method} ${url}`);
    }
    const after = await asA('GET', path);
    assert.equal(after.body.name, 'app server');
    assert.equal(after.body.status, 'active');
    assert.equal(await digestOf(created.id), secretDigest(created.password));
    assert.equal((await changesFor(created.id)).length, 1);
  });
});
