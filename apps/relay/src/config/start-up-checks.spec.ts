import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const main = join(__dirname, '..', 'main.js');
const base = {
  PATH: process.env.PATH ?? '',
  API_URL: 'http://127.0.0.1:9',
  RELAY_NODE_TOKEN: 'shn_0123456789abcdef0123',
  RETURN_PATH_KEY: '5e'.repeat(32),
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
};

function start(env: Record<string, string>) {
  return spawnSync(process.execPath, [main], { env: { ...base, ...env }, encoding: 'utf8', timeout: 20_000 });
}

describe('relay start-up checks', () => {
  it('stops naming each bad variable, without echoing the token', () => {
    const result = start({ API_URL: 'ftp://x', RELAY_NODE_TOKEN: 'short-secret', SUBMISSION_PORT: '99999' });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /API_URL/);
    assert.match(result.stderr, /RELAY_NODE_TOKEN/);
    assert.match(result.stderr, /SUBMISSION_PORT/);
    assert.ok(!result.stderr.includes('short-secret'));
  });

  it('refuses to start in production without a shared SRS secret and an ARC key, naming both, not echoing secrets', () => {
    const result = start({ NODE_ENV: 'production' });
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /ARC_KEY_FILE: required in production/);
    assert.match(result.stderr, /SRS_SECRET: required in production/);
  });

  it('refuses to start in production on a Redis that could lose or evict queued mail', () => {
    // The shared test Redis runs without AOF: exactly what a production node must refuse.
    const dir = mkdtempSync(join(tmpdir(), 'arc-key-'));
    const arcKey = join(dir, 'arc.pem');
    writeFileSync(arcKey, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const result = start({ NODE_ENV: 'production', SRS_SECRET: 'production-srs-secret-0123', ARC_KEY_FILE: arcKey });
    rmSync(dir, { recursive: true, force: true });
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /Redis is not safe for queued mail: appendonly is "no"/);
  });
});
