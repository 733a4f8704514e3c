import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startDnsServer, TestDnsServer } from './dns-server';

describe('startDnsServer, queried by node:dns', () => {
  let dns: TestDnsServer;
  let resolver: Resolver;

  before(async () => {
    dns = await startDnsServer();
    resolver = new Resolver({ timeout: 200, tries: 1 });
    resolver.setServers([dns.server]);
  });
  after(() => dns.close());
  beforeEach(() => dns.clear());

  const rejectsCode = (promise: Promise<unknown>, code: string) =>
    assert.rejects(promise, (error: NodeJS.ErrnoException) => error.code === code);

  it('listens on loopback and names itself in setServers form', () => {
    assert.equal(dns.address, '127.0.0.1');
    assert.equal(dns.server, `127.0.0.1:${dns.port}`);
  });

  it('answers A, AAAA, MX, TXT and CNAME', async () => {
    dns.set('example.test', 'A', ['192.0.2.1', '192.0.2.2']);
    dns.set('example.test', 'AAAA', ['2001:db8::1']);
    dns.set('example.test', 'MX', [{ exchange: 'mx.example.test', priority: 10 }]);
    dns.set('example.test', 'TXT', ['v=spf1 -all']);
    dns.set('www.example.test', 'CNAME', ['example.test']);
    assert.deepEqual((await resolver.resolve4('example.test')).sort(), ['192.0.2.1', '192.0.2.2']);
    assert.deepEqual(await resolver.resolve6('example.test'), ['2001:db8::1']);
    assert.deepEqual(await resolver.resolveMx('example.test'), [{ exchange: 'mx.example.test', priority: 10 }]);
    assert.deepEqual(await resolver.resolveTxt('example.test'), [['v=spf1 -all']]);
    assert.deepEqual(await resolver.resolveCname('www.example.test'), ['example.test']);
  });

  it('matches names case-insensitively and ignores a trailing dot', async () => {
    dns.set('Mixed.Example.TEST.', 'A', ['192.0.2.3']);
    assert.deepEqual(await resolver.resolve4('mixed.example.test'), ['192.0.2.3']);
    assert.deepEqual(await resolver.resolve4('MIXED.example.test'), ['192.0.2.3']);
  });

  it('splits a long TXT value into 255-byte strings and serves it over TCP when UDP truncates', async () => {
    const key = 'v=DKIM1; k=rsa; p=' + 'Q'.repeat(1500);
    dns.set('s1._domainkey.example.test', 'TXT', [key]);
    const [record] = await resolver.resolveTxt('s1._domainkey.example.test');
    assert.ok(record);
    assert.equal(key.length, 1518);
    assert.deepEqual(record.map((chunk) => chunk.length), [255, 255, 255, 255, 255, 243]);
    assert.equal(record.join(''), key);
    const transports = dns.queries.filter((q) => q.name === 's1._domainkey.example.test').map((q) => q.transport);
    assert.deepEqual(transports, ['udp', 'tcp']);
  });

  it('keeps explicitly given character-strings apart', async () => {
    dns.set('multi.example.test', 'TXT', [['part one ', 'part two']]);
    assert.deepEqual(await resolver.resolveTxt('multi.example.test'), [['part one ', 'part two']]);
  });

  it('answers NXDOMAIN for unknown names and NODATA for a missing type', async () => {
    dns.set('example.test', 'A', ['192.0.2.1']);
    await rejectsCode(resolver.resolve4('unknown.example.test'), 'ENOTFOUND');
    await rejectsCode(resolver.resolveTxt('example.test'), 'ENODATA');
  });

  it('treats a name with records below it as existing (empty non-terminal)', async () => {
    dns.set('s1._domainkey.example.test', 'TXT', ['v=DKIM1; p=']);
    await rejectsCode(resolver.resolveTxt('_domainkey.example.test'), 'ENODATA');
  });

  it('follows CNAME chains for other types', async () => {
    dns.set('a.example.test', 'CNAME', ['b.example.test']);
    dns.set('b.example.test', 'CNAME', ['c.example.test']);
    dns.set('c.example.test', 'TXT', ['at the end']);
    assert.deepEqual(await resolver.resolveTxt('a.example.test'), [['at the end']]);
  });

  it('applies changes at run time', async () => {
    dns.set('change.example.test', 'A', ['192.0.2.1']);
    assert.deepEqual(await resolver.resolve4('change.example.test'), ['192.0.2.1']);
    dns.set('change.example.test', 'A', ['192.0.2.9']);
    assert.deepEqual(await resolver.resolve4('change.example.test'), ['192.0.2.9']);
    dns.set('change.example.test', 'TXT', ['x']);
    dns.remove('change.example.test', 'A');
    await rejectsCode(resolver.resolve4('change.example.test'), 'ENODATA');
    dns.remove('change.example.test');
    await rejectsCode(resolver.resolveTxt('change.example.test'), 'ENOTFOUND');
  });

  it('can fail a name with SERVFAIL, REFUSED or silence, and recover', async () => {
    dns.set('flaky.example.test', 'TXT', ['ok']);
    dns.fail('flaky.example.test');
    await rejectsCode(resolver.resolveTxt('flaky.example.test'), 'ESERVFAIL');
    dns.fail('flaky.example.test', 'refused');
    await rejectsCode(resolver.resolveTxt('flaky.example.test'), 'EREFUSED');
    dns.fail('flaky.example.test', 'timeout');
    await rejectsCode(resolver.resolveTxt('flaky.example.test'), 'ETIMEOUT');
    dns.unfail('flaky.example.test');
    assert.deepEqual(await resolver.resolveTxt('flaky.example.test'), [['ok']]);
  });

  it('can fail one record type of a name and leave the others answering', async () => {
    dns.set('half.example.test', 'A', ['192.0.2.2']);
    dns.fail('half.example.test', 'servfail', 'AAAA');
    await rejectsCode(resolver.resolve6('half.example.test'), 'ESERVFAIL');
    assert.deepEqual(await resolver.resolve4('half.example.test'), ['192.0.2.2']);
    dns.unfail('half.example.test', 'AAAA');
    await rejectsCode(resolver.resolve6('half.example.test'), 'ENODATA');
  });

  it('logs every query', async () => {
    dns.set('log.example.test', 'A', ['192.0.2.1']);
    const before = dns.queries.length;
    await resolver.resolve4('log.example.test');
    assert.deepEqual(dns.queries.slice(before), [{ name: 'log.example.test', type: 'A', transport: 'udp' }]);
  });
});

describe('two DNS servers', () => {
  it('are independent', async () => {
    const [one, two] = await Promise.all([startDnsServer(), startDnsServer()]);
    try {
      assert.notEqual(one.port, two.port);
      one.set('only-one.test', 'A', ['192.0.2.1']);
      const resolver = new Resolver({ timeout: 200, tries: 1 });
      resolver.setServers([two.server]);
      await assert.rejects(resolver.resolve4('only-one.test'), { code: 'ENOTFOUND' });
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});
