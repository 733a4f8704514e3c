import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DnsError, type DnsResolver, type MxResult } from '@smarthost/dns';
import { cachingResolver } from './dns-cache';

function countingResolver(mxAnswer: () => Promise<MxResult>) {
  const calls = { mx: 0, addresses: 0 };
  const resolver: DnsResolver = {
    txt: async () => [],
    cname: async () => '',
    ipv4: async () => [],
    mx: () => {
      calls.mx += 1;
      return mxAnswer();
    },
    addresses: async () => {
      calls.addresses += 1;
      return ['192.0.2.1'];
    },
  };
  return { resolver, calls };
}

describe('cachingResolver', () => {
  it('reuses answers within the TTL, merges concurrent lookups and asks again after it', async () => {
    let time = 1000;
    const { resolver, calls } = countingResolver(async () => ({ kind: 'hosts', hosts: [{ exchange: 'mx.a.test', priority: 10 }], implicit: false }));
    const cached = cachingResolver(resolver, { ttlMs: 5000, now: () => time });
    await Promise.all([cached.mx('a.test'), cached.mx('A.test'), cached.addresses('mx.a.test'), cached.addresses('mx.a.test')]);
    assert.deepEqual(calls, { mx: 1, addresses: 1 });
    time += 4999;
    await cached.mx('a.test');
    assert.equal(calls.mx, 1);
    time += 1;
    await cached.mx('a.test');
    assert.equal(calls.mx, 2);
  });

  it('never caches failures', async () => {
    const { resolver, calls } = countingResolver(async () => {
      throw new DnsError('temporary', 'ETIMEOUT', 'a.test', 'MX');
    });
    const cached = cachingResolver(resolver, { ttlMs: 5000 });
    await assert.rejects(cached.mx('a.test'), DnsError);
    await assert.rejects(cached.mx('a.test'), DnsError);
    assert.equal(calls.mx, 2);
  });

  it('shuffles hosts of equal preference on every use, keeping preference order', async () => {
    const hosts = ['mx1', 'mx2', 'mx3', 'mx4'].map((exchange) => ({ exchange: `${exchange}.a.test`, priority: 10 }));
    const { resolver } = countingResolver(async () => ({ kind: 'hosts', hosts: [...hosts, { exchange: 'backup.a.test', priority: 20 }], implicit: false }));
    const cached = cachingResolver(resolver, { ttlMs: 60_000 });
    const firsts = new Set<string>();
    for (let i = 0; i < 50; i += 1) {
      const result = await cached.mx('a.test');
      assert.equal(result.kind, 'hosts');
      if (result.kind !== 'hosts') return;
      assert.equal(result.hosts.at(-1)?.exchange, 'backup.a.test');
      firsts.add(result.hosts[0]?.exchange ?? '');
    }
    assert.ok(firsts.size > 1, 'the first host varies');
  });

  it('is a pass-through with a TTL of 0', async () => {
    const { resolver, calls } = countingResolver(async () => ({ kind: 'null-mx' }));
    const cached = cachingResolver(resolver, { ttlMs: 0 });
    await cached.mx('a.test');
    await cached.mx('a.test');
    assert.equal(calls.mx, 2);
  });
});
