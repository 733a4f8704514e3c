import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTenantFixture, httpClient, type TenantFixture } from '../test/fixtures';
import { startTestApp, type TestApp } from '../test/test-app';

describe('suppressions API', () => {
  let app: TestApp;
  let a: TenantFixture;
  let asA: ReturnType<typeof httpClient>;
  let asB: ReturnType<typeof httpClient>;
  const fieldsOf = (body: { error: { fields?: { field: string }[] } }) => body.error.fields?.map((f) => f.field);
  const add = async (body: Record<string, unknown>) => {
    const response = await asA('POST', '/v1/suppressions', body);
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body;
  };

  before(async () => {
    app = await startTestApp();
    a = await createTenantFixture(app.prisma);
    const b = await createTenantFixture(app.prisma);
    asA = httpClient(app.url, a.auth);
    asB = httpClient(app.url, b.auth);
  });
  after(async () => {
    await app?.close();
  });

  it('adds an address in normal form, defaulting the reason, with a policy change', async () => {
    const row = await add({ address: '  Bob.Smith@Example.COM ' });
    assert.equal(row.address, 'bob.smith@example.com');
    assert.equal(row.reason, 'manual');
    const changes = await app.prisma.policyChange.findMany({ where: { entityId: row.id } });
    assert.deepEqual(changes.map((c) => [c.entity, c.op]), [['suppression', 'upsert']]);
    const punycode = await add({ address: 'user@bücher.example', reason: 'complaint', detail: 'FBL report' });
    assert.equal(punycode.address, 'user@xn--bcher-kva.example');
  });

  it('answers 409 for an address already suppressed, in any case', async () => {
    await add({ address: 'twice@example.com' });
    assert.equal((await asA('POST', '/v1/suppressions', { address: 'TWICE@example.com' })).status, 409);
  });

  it('refuses bad input naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ address: 'not-an-address' }, 'body.address'],
      [{ address: 'a%b@example.com' }, 'body.address'],
      [{}, 'body.address'],
      [{ address: 'ok@example.com', reason: 'because' }, 'body.reason'],
      [{ address: 'ok@example.com', detail: 'x'.repeat(501) }, 'body.detail'],
    ];
    for (const [body, field] of cases) {
      const response = await asA('POST', '/v1/suppressions', body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.deepEqual(fieldsOf(response.body), [field]);
    }
  });

  it('lists newest first, pages, and filters by address prefix', async () => {
    for (const local of ['pfx-1', 'pfx-2', 'pfx-3', 'other']) await add({ address: `${local}@list.example` });
    const filtered = await asA('GET', '/v1/suppressions?prefix=PFX-&limit=2');
    assert.equal(filtered.status, 200);
    assert.deepEqual(filtered.body.items.map((i: { address: string }) => i.address), ['pfx-3@list.example', 'pfx-2@list.example']);
    const next = await asA('GET', `/v1/suppressions?prefix=pfx-&limit=2&cursor=${filtered.body.nextCursor}`);
    assert.deepEqual(next.body.items.map((i: { address: string }) => i.address), ['pfx-1@list.example']);
    assert.equal(next.body.nextCursor, null);
    assert.deepEqual(fieldsOf((await asA('GET', '/v1/suppressions?limit=0')).body), ['query.limit']);
    assert.deepEqual((await asB('GET', '/v1/suppressions')).body.items, []);
  });

  it('removes, recording a delete change; 404 for unknown or foreign ids', async () => {
    const row = await add({ address: 'remove-me@example.com' });
    assert.equal((await asB('DELETE', `/v1/suppressions/${row.id}`)).status, 404);
    assert.equal((await asB('GET', `/v1/suppressions/${row.id}`)).status, 404);
    assert.equal((await asA('GET', `/v1/suppressions/${row.id}`)).status, 200);
    assert.equal((await asA('DELETE', `/v1/suppressions/${row.id}`)).status, 204);
    assert.equal((await asA('DELETE', `/v1/suppressions/${row.id}`)).status, 404);
    assert.equal((await asA('GET', '/v1/suppressions/nope')).status, 400);
    const ops = await app.prisma.policyChange.findMany({ where: { entityId: row.id }, orderBy: { version: 'asc' } });
    assert.deepEqual(ops.map((c) => c.op), ['upsert', 'delete']);
  });

  it('exports the whole list as CSV across many pages, only for the caller tenant', async () => {
    const exporter = await createTenantFixture(app.prisma);
    const total = 2_345;
    await app.prisma.suppression.createMany({
      data: Array.from({ length: total }, (_, i) => ({
        tenantId: exporter.tenantId,
        address: `u${String(i).padStart(5, '0')}@bulk.example`,
        reason: 'hard_bounce' as const,
        detail: i === 0 ? '=HYPERLINK("x"), said "550"' : null,
      })),
    });
    const response = await fetch(`${app.url}/v1/suppressions/export`, { headers: exporter.auth });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/csv/);
    assert.match(response.headers.get('content-disposition') ?? '', /attachment; filename="suppressions.csv"/);
    const lines = (await response.text()).split('\r\n');
    assert.equal(lines.at(-1), '');
    assert.equal(lines[0], 'address,reason,detail,created_at');
    assert.equal(lines.length - 2, total);
    assert.match(lines[1] ?? '', /^u00000@bulk\.example,hard_bounce,"'=HYPERLINK\(""x""\), said ""550""",\d{4}-/);
    assert.match(lines[total] ?? '', /^u02344@bulk\.example,hard_bounce,,/);
    const other = await asA('GET', '/v1/suppressions/export');
    assert.ok(!String(other.body).includes('bulk.example'));
  });

  it('defuses formula-looking addresses in the export, as a spreadsheet would otherwise run them', async () => {
    const exporter = await createTenantFixture(app.prisma);
    const hostile = ['=cmd@evil.example', '+sum@evil.example', '-2@evil.example', '@at@evil.example'];
    await app.prisma.suppression.createMany({
      data: hostile.map((address) => ({ tenantId: exporter.tenantId, address, reason: 'manual' as const, detail: '\tx' })),
    });
    const text = await (await fetch(`${app.url}/v1/suppressions/export`, { headers: exporter.auth })).text();
    const cells = text.split('\r\n').slice(1, -1).map((line) => line.split(','));
    assert.equal(cells.length, hostile.length);
    for (const row of cells) {
      assert.equal(row[0]?.startsWith("'"), true, row.join(','));
      assert.equal(row[2], "'\tx");
    }
  });
});
