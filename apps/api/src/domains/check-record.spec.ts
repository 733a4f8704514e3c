import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createResolver, type DnsResolver } from '@smarthost/dns';
import { startDnsServer, type TestDnsServer } from '@smarthost/testkit';
import { checkRecord } from './check-record';
import { baseRecords, dkimRecord, type ExpectedRecord } from './dns-records';

const RELAY = 'relay.smarthost.test';
const NAME = 'example.test';
const records = baseRecords({ name: NAME, verificationToken: 'abc123', inboundEnabled: true }, RELAY);
const byKind = (kind: ExpectedRecord['kind']) => records.find((record) => record.kind === kind)!;
const KEY = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA' + 'x'.repeat(300);
const dkim = dkimRecord(NAME, { selector: 'sh202611aaaaaa', publicKey: KEY });

describe('checkRecord against a real DNS server', () => {
  let dns: TestDnsServer;
  let resolver: DnsResolver;
  before(async () => {
    dns = await startDnsServer();
    resolver = createResolver({ servers: [dns.server], timeoutMs: 300, tries: 1 });
  });
  after(() => dns.close());
  beforeEach(() => dns.clear());

  const check = async (record: ExpectedRecord) => (await checkRecord(resolver, record)).status;

  it('ownership: exact token ok, another token mismatch, none missing', async () => {
    dns.set('_smarthost.example.test', 'TXT', ['other=1', 'smarthost-verification=abc123']);
    assert.equal(await check(byKind('ownership')), 'ok');
    dns.set('_smarthost.example.test', 'TXT', ['smarthost-verification=zzz']);
    const result = await checkRecord(resolver, byKind('ownership'));
    assert.equal(result.status, 'mismatch');
    assert.equal(result.seenValue, 'smarthost-verification=zzz');
    dns.remove('_smarthost.example.test');
    assert.equal(await check(byKind('ownership')), 'missing');
  });

  it('SPF: an existing record that includes us passes; none, two, or one without us do not', async () => {
    dns.set(NAME, 'TXT', ['google-site-verification=x', `v=spf1 ip4:192.0.2.1 +include:SPF.${RELAY.toUpperCase()} -all`]);
    assert.equal(await check(byKind('spf')), 'ok');
    dns.set(NAME, 'TXT', ['v=spf1 include:_spf.example.net ~all']);
    assert.equal(await check(byKind('spf')), 'mismatch');
    dns.set(NAME, 'TXT', [`v=spf1 include:spf.${RELAY} ~all`, 'v=spf1 -all']);
    assert.equal(await check(byKind('spf')), 'mismatch');
    dns.set(NAME, 'TXT', ['google-site-verification=x']);
    assert.equal(await check(byKind('spf')), 'missing');
  });

  it('DKIM: compares the key, not the spacing or extra tags; a key split over character-strings still matches', async () => {
    dns.set(dkim.host, 'TXT', [`v=DKIM1; t=s; k=rsa; p=${KEY.slice(0, 100)} ${KEY.slice(100)}`]);
    assert.equal(await check(dkim), 'ok');
    dns.set(dkim.host, 'TXT', [dkim.value]);
    assert.equal(await check(dkim), 'ok');
    dns.set(dkim.host, 'TXT', [`v=DKIM1; k=rsa; p=${KEY.slice(0, -1)}A`]);
    assert.equal(await check(dkim), 'mismatch');
  });

  it('DMARC: any DMARC policy counts', async () => {
    assert.equal(await check(byKind('dmarc')), 'missing');
    dns.set('_dmarc.example.test', 'TXT', ['v=DMARC1; p=reject']);
    assert.equal(await check(byKind('dmarc')), 'ok');
  });

  it('return path CNAME and inbound MX', async () => {
    assert.equal(await check(byKind('return_path')), 'missing');
    dns.set('bounces.example.test', 'CNAME', ['elsewhere.example.net']);
    assert.equal(await check(byKind('return_path')), 'mismatch');
    dns.set('bounces.example.test', 'CNAME', [RELAY]);
    assert.equal(await check(byKind('return_path')), 'ok');

    dns.set(NAME, 'A', ['192.0.2.1']);
    assert.equal(await check(byKind('mx')), 'missing', 'an implicit MX is not an MX to us');
    dns.set(NAME, 'MX', [{ exchange: 'mx.example.net', priority: 5 }]);
    assert.equal(await check(byKind('mx')), 'mismatch');
    dns.set(NAME, 'MX', [{ exchange: 'mx.example.net', priority: 5 }, { exchange: RELAY, priority: 10 }]);
    assert.equal(await check(byKind('mx')), 'ok');
  });

  it('a DNS failure is an error, never "missing"', async () => {
    dns.fail('_smarthost.example.test', 'servfail');
    const servfail = await checkRecord(resolver, byKind('ownership'));
    assert.equal(servfail.status, 'error');
    assert.match(servfail.detail ?? '', /will retry/);
    dns.fail('_smarthost.example.test', 'timeout');
    assert.equal(await check(byKind('ownership')), 'error');
  });
});
