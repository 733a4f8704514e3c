import assert from 'node:assert/strict';
import { lookup } from 'node:dns/promises';
import { describe, it } from 'node:test';
import { systemAddressLookup } from './next-hops';

describe('systemAddressLookup (the relayhost through getaddrinfo)', () => {
  it('asks the system resolver once per few seconds, and again after that', async () => {
    const asked: string[] = [];
    const ask = async (hostname: string) => {
      asked.push(hostname);
      return (await lookup(hostname, { all: true })).map((entry) => entry.address);
    };
    let clock = 1_000_000;
    const systemAddresses = systemAddressLookup(ask, { ttlMs: 5_000, now: () => clock });
    const first = await systemAddresses('localhost');
    assert.ok(first.length > 0);
    assert.deepEqual(await systemAddresses('localhost'), first);
    assert.deepEqual(asked, ['localhost']);
    clock += 6_000;
    await systemAddresses('localhost');
    assert.deepEqual(asked, ['localhost', 'localhost']);
  });

  it('keeps no failure', async () => {
    let calls = 0;
    const failing = async () => {
      calls += 1;
      throw Object.assign(new Error('getaddrinfo ENOTFOUND relay.invalid'), { code: 'ENOTFOUND' });
    };
    const systemAddresses = systemAddressLookup(failing);
    await assert.rejects(systemAddresses('relay.invalid'), /ENOTFOUND/);
    await assert.rejects(systemAddresses('relay.invalid'), /ENOTFOUND/);
    assert.equal(calls, 2);
  });
});
