import assert from 'node:assert/strict';
import { lookup } from 'node:dns/promises';
import { describe, it } from 'node:test';
import { systemAddresses } from './next-hops';

describe('systemAddresses (the relayhost through getaddrinfo)', () => {
  it('asks the system resolver once per few seconds, and again after that', async () => {
    const asked: string[] = [];
    const ask = async (hostname: string) => {
      asked.push(hostname);
      return (await lookup(hostname, { all: true })).map((entry) => entry.address);
    };
    let clock = 1_000_000;
    const now = () => clock;
    const first = await systemAddresses('localhost', ask, now);
    assert.ok(first.length > 0);
    assert.deepEqual(await systemAddresses('localhost', ask, now), first);
    assert.deepEqual(asked, ['localhost']);
    clock += 6_000;
    await systemAddresses('localhost', ask, now);
    assert.deepEqual(asked, ['localhost', 'localhost']);
  });

  it('keeps no failure', async () => {
    let calls = 0;
    const failing = async () => {
      calls += 1;
      throw Object.assign(new Error('getaddrinfo ENOTFOUND relay.invalid'), { code: 'ENOTFOUND' });
    };
    await assert.rejects(systemAddresses('relay.invalid', failing), /ENOTFOUND/);
    await assert.rejects(systemAddresses('relay.invalid', failing), /ENOTFOUND/);
    assert.equal(calls, 2);
  });
});
