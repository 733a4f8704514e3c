import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startDnsServer, type TestDnsServer } from '@smarthost/testkit';
import { createRecordLookup } from './record-lookup';

describe('createRecordLookup against a real DNS server on loopback', () => {
  let dns: TestDnsServer;
  // Per-try timeout far beyond the deadlines below: only the deadline can end the silent lookups.
  let lookupUntil: ReturnType<typeof createRecordLookup>;

  before(async () => {
    dns = await startDnsServer();
    lookupUntil = createRecordLookup({ servers: [dns.server], timeoutMs: 30_000, tries: 1 });
  });
  after(() => dns.close());

  const code = (promise: Promise<unknown>) => promise.then(() => 'answered', (error: { code?: string }) => error.code);

  it('answers in dns.promises.resolve shape and reports absence as ENOTFOUND / ENODATA', async () => {
    dns.set('example.test', 'TXT', ['v=spf1 -all']);
    const lookup = lookupUntil(Date.now() + 10_000);
    assert.deepEqual(await lookup('example.test', 'TXT'), [['v=spf1 -all']]);
    assert.equal(await code(lookup('missing.example.test', 'TXT')), 'ENOTFOUND');
    assert.equal(await code(lookup('example.test', 'MX')), 'ENODATA');
  });

  it('fails a lookup that a silent server leaves unanswered as ETIMEOUT at the deadline, not at the resolver timeout', async () => {
    dns.fail('slow.example.test', 'timeout');
    const started = Date.now();
    assert.equal(await code(lookupUntil(started + 300)('slow.example.test', 'TXT')), 'ETIMEOUT');
    assert.ok(Date.now() - started < 15_000, 'ended by the deadline');
  });

  it('fails every lookup after the deadline at once', async () => {
    dns.set('example.test', 'TXT', ['v=spf1 -all']);
    assert.equal(await code(lookupUntil(Date.now() - 1)('example.test', 'TXT')), 'ETIMEOUT');
  });
});
