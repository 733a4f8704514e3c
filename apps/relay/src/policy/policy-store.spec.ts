import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PolicyIndex } from '@smarthost/relay-policy';
import { baseSnapshot } from '../test/fixtures';
import { PolicyStore } from './policy-store';

describe('PolicyStore', () => {
  it('serves nothing before a policy is loaded, then until the staleness limit, then nothing', () => {
    let now = 1_000_000;
    const store = new PolicyStore(60_000, () => now);
    assert.equal(store.current(), null);
    store.replace(PolicyIndex.fromSnapshot(baseSnapshot()));
    assert.ok(store.current());
    now += 60_000;
    assert.ok(store.current(), 'exactly at the limit still serves');
    now += 1;
    assert.equal(store.current(), null);
    assert.equal(store.status().stale, true);
    store.markSynced();
    assert.ok(store.current());
  });

  it('counts staleness from the cache file time after a restart', () => {
    const now = 1_000_000;
    const store = new PolicyStore(60_000, () => now);
    store.replace(PolicyIndex.fromSnapshot(baseSnapshot()), now - 61_000);
    assert.equal(store.current(), null);
  });
});
