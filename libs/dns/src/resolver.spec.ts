import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startDnsServer, TestDnsServer } from '@smarthost/testkit';
import { DnsError, isDnsError } from './dns-error';
import { createResolver, DnsResolver } from './resolver';

describe('createResolver against a real DNS server on loopback', () => {
  let dns: TestDnsServer;
  let resolver: DnsResolver;

  before(async () => {
    dns = await startDnsServer();
    resolver = createResolver({ servers: [dns.server], timeoutMs: 200, tries: 1, random: () => 0.5 });
  });
  after(() => dns.close());
  beforeEach(() => dns.clear());

  const rejectsWith = (promise: Promise<unknown>, kind: DnsError['kind'], code: string) =>
    assert.rejects(promise, (error: unknown) => {
      assert.ok(isDnsError(error), String(error));
      assert.equal(error.kind, kind);
      assert.equal(error.code, code);
      return true;
    });

  describe('txt', () => {
    it('returns each record with its character-strings joined', async () => {
      const key = 'v=DKIM1; k=rsa; p=' + 'M'.repeat(600);
      dns.set('s1._domainkey.example.test', 'TXT', [key]);
      dns.set('example.test', 'TXT', ['v=spf1 -all', ['smarthost-verify=', 'abc123']]);
      assert.deepEqual(await resolver.txt('s1._domainkey.example.test'), [key]);
      assert.deepEqual((await resolver.txt('example.test')).sort(), ['smarthost-verify=abc123', 'v=spf1 -all']);
    });

    it('reports a missing name and a missing record type as not-found', async () => {
      dns.set('example.test', 'A', ['192.0.2.1']);
      await rejectsWith(resolver.txt('nothing.example.test'), 'not-found', 'ENOTFOUND');
      await rejectsWith(resolver.txt('example.test'), 'not-found', 'ENODATA');
    });

    it('reports SERVFAIL, REFUSED and timeouts as temporary', async () => {
      dns.fail('sf.example.test', 'servfail');
      dns.fail('refused.example.test', 'refused');
      dns.fail('slow.example.test', 'timeout');
      await rejectsWith(resolver.txt('sf.example.test'), 'temporary', 'ESERVFAIL');
      await rejectsWith(resolver.txt('refused.example.test'), 'temporary', 'EREFUSED');
      await rejectsWith(resolver.txt('slow.example.test'), 'temporary', 'ETIMEOUT');
    });

    it('sees changes made at run time', async () => {
      await rejectsWith(resolver.txt('late.example.test'), 'not-found', 'ENOTFOUND');
      dns.set('late.example.test', 'TXT', ['now-here']);
      assert.deepEqual(await resolver.txt('late.example.test'), ['now-here']);
    });
  });

  describe('mx', () => {
    it('orders hosts by preference', async () => {
      dns.set('example.test', 'MX', [
        { exchange: 'MX2.example.test', priority: 20 },
        { exchange: 'mx1.example.test', priority: 10 },
      ]);
      assert.deepEqual(await resolver.mx('example.test'), {
        kind: 'hosts',
        implicit: false,
        hosts: [
          { exchange: 'mx1.example.test', priority: 10 },
          { exchange: 'mx2.example.test', priority: 20 },
        ],
      });
    });

    it('falls back to the domain itself at preference 0 when it has addresses but no MX', async () => {
      dns.set('bare.example.test', 'AAAA', ['2001:db8::25']);
      assert.deepEqual(await resolver.mx('Bare.Example.test'), {
        kind: 'hosts',
        implicit: true,
        hosts: [{ exchange: 'bare.example.test', priority: 0 }],
      });
    });

    it('reads MX 0 . as "accepts no mail"', async () => {
      dns.set('nomail.example.test', 'MX', [{ exchange: '.', priority: 0 }]);
      assert.deepEqual(await resolver.mx('nomail.example.test'), { kind: 'null-mx' });
    });

    it('is not-found for a domain with neither MX nor address, or no domain at all', async () => {
      dns.set('textonly.example.test', 'TXT', ['hello']);
      await rejectsWith(resolver.mx('textonly.example.test'), 'not-found', 'ENODATA');
      await rejectsWith(resolver.mx('missing.example.test'), 'not-found', 'ENOTFOUND');
    });

    it('is temporary when the server fails', async () => {
      dns.fail('broken.example.test');
      await rejectsWith(resolver.mx('broken.example.test'), 'temporary', 'ESERVFAIL');
    });
  });

  describe('addresses', () => {
    it('returns A then AAAA', async () => {
      dns.set('host.example.test', 'A', ['192.0.2.10']);
      dns.set('host.example.test', 'AAAA', ['2001:db8::10']);
      assert.deepEqual(await resolver.addresses('host.example.test'), ['192.0.2.10', '2001:db8::10']);
    });

    it('returns one family when the other has none', async () => {
      dns.set('v4.example.test', 'A', ['192.0.2.11']);
      assert.deepEqual(await resolver.addresses('v4.example.test'), ['192.0.2.11']);
    });

    it('follows a CNAME', async () => {
      dns.set('alias.example.test', 'CNAME', ['host.example.test']);
      dns.set('host.example.test', 'A', ['192.0.2.12']);
      assert.deepEqual(await resolver.addresses('alias.example.test'), ['192.0.2.12']);
    });

    it('is not-found when neither family exists', async () => {
      await rejectsWith(resolver.addresses('none.example.test'), 'not-found', 'ENOTFOUND');
    });
  });

  describe('ipv4', () => {
    it('asks for A records only', async () => {
      dns.set('both.example.test', 'A', ['192.0.2.14']);
      dns.set('both.example.test', 'AAAA', ['2001:db8::14']);
      const asked = dns.queries.length;
      assert.deepEqual(await resolver.ipv4('both.example.test'), ['192.0.2.14']);
      assert.deepEqual(
        dns.queries.slice(asked).map((query) => query.type),
        ['A'],
      );
    });

    it('answers from A even when the AAAA query fails', async () => {
      dns.set('v4only.example.test', 'A', ['192.0.2.15']);
      dns.fail('v4only.example.test', 'servfail', 'AAAA');
      assert.deepEqual(await resolver.ipv4('v4only.example.test'), ['192.0.2.15']);
    });

    it('is not-found for a name that does not exist', async () => {
      await rejectsWith(resolver.ipv4('nothing.example.test'), 'not-found', 'ENOTFOUND');
    });
  });

  describe('cname', () => {
    it('returns the target, lower-case', async () => {
      dns.set('track.example.test', 'CNAME', ['Track.Smarthost.test.']);
      assert.equal(await resolver.cname('track.example.test'), 'track.smarthost.test');
    });

    it('is not-found when the name has no CNAME', async () => {
      dns.set('plain.example.test', 'A', ['192.0.2.13']);
      await rejectsWith(resolver.cname('plain.example.test'), 'not-found', 'ENODATA');
    });
  });
});

describe('createResolver with an unreachable server', () => {
  it('reports temporary, never not-found', async () => {
    // A UDP port nobody listens on: the query times out or is refused by ICMP.
    const dns = await startDnsServer();
    const server = dns.server;
    await dns.close();
    const resolver = createResolver({ servers: [server], timeoutMs: 100, tries: 1 });
    await assert.rejects(resolver.txt('example.test'), (error: unknown) => isDnsError(error, 'temporary'));
  });
});
