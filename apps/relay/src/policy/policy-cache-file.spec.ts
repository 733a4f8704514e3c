import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
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
