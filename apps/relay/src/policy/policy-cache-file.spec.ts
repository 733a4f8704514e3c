import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PolicyIndex } from '@smarthost/relay-policy';
import { baseSnapshot } from '../test/fixtures';
import { readPolicyCache, writePolicyCache } from './policy-cache-file';

describe('policy cache file', () => {
  it('round-trips a snapshot with its sync time and leaves no temporary files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'policy-cache-'));
    try {
      const file = join(dir, 'nested', 'policy.json');
      const syncedAt = Date.UTC(2026, 0, 1);
      await writePolicyCache(file, baseSnapshot({ version: 7 }), syncedAt);
      await writePolicyCache(file, baseSnapshot({ version: 8 }), syncedAt + 1000);
      const cached = await readPolicyCache(file);
      assert.equal(cached?.index.version, 8);
      assert.equal(cached?.syncedAt, syncedAt + 1000);
      assert.deepEqual(await readdir(join(dir, 'nested')), ['policy.json']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads a file written by the previous release ({"syncedAt", "snapshot"}) and the current one, streamed into the index', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'policy-cache-'));
    try {
      const syncedAt = Date.UTC(2026, 0, 2);
      const legacy = join(dir, 'legacy.json');
      await writeFile(legacy, JSON.stringify({ syncedAt: new Date(syncedAt).toISOString(), snapshot: baseSnapshot({ version: 5 }) }));
      const old = await readPolicyCache(legacy);
      assert.equal(old?.index.version, 5);
      assert.equal(old?.syncedAt, syncedAt);
      const current = join(dir, 'current.json');
      const snapshot = baseSnapshot({ version: 6 });
      await writePolicyCache(current, snapshot, syncedAt);
      const text = await readFile(current, 'utf8');
      assert.ok(text.startsWith('{"syncedAt":'), 'the snapshot document with syncedAt first');
      const cached = await readPolicyCache(current);
      assert.deepEqual(cached?.index.toSnapshot(), PolicyIndex.fromSnapshot(snapshot).toSnapshot());
      assert.equal(cached?.syncedAt, syncedAt);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('returns null without a file and throws on a file that is not a valid snapshot', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'policy-cache-'));
    try {
      assert.equal(await readPolicyCache(join(dir, 'missing.json')), null);
      const bad = join(dir, 'bad.json');
      await writeFile(bad, JSON.stringify({ syncedAt: new Date().toISOString(), snapshot: { version: 'x' } }));
      await assert.rejects(readPolicyCache(bad));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
