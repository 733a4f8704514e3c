import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePolicySnapshot, PolicyContractError, type PolicySnapshot } from './contract';
import { PolicyIndex } from './policy-index';
import { PolicyIndexError } from './policy-tables';
import { PolicySnapshotReader, readPolicySnapshot } from './snapshot-stream';
import { credential, fixtureSnapshot } from './test/fixture';

const bytes = (text: string) => new TextEncoder().encode(text);

/** Feeds the text in chunks of `size` bytes. */
function readInChunks(text: string, size: number): PolicyIndex {
  const all = bytes(text);
  const reader = new PolicySnapshotReader();
  for (let at = 0; at < all.length; at += size) reader.push(all.subarray(at, at + size));
  return reader.finish();
}

function contractIssues(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof PolicyContractError, `expected a PolicyContractError, got ${String(error)}`);
    return error.issues.join('\n');
  }
  assert.fail('expected a PolicyContractError');
}

/** A snapshot with text that is awkward to split: escapes, quotes and multi-byte characters in strings. */
function awkwardSnapshot(): PolicySnapshot {
  const snapshot = fixtureSnapshot();
  snapshot.tenants[0]!.statusReason = 'Zahlung fällig — "bitte" \\ prüfen ✉ 😀 {[,:]}';
  snapshot.credentials.push(credential('cred-awkward', snapshot.tenants[0]!.id, { username: 'a"b\\c{d}[e],f:g' }));
  return snapshot;
}

describe('PolicySnapshotReader (streamed snapshot → PolicyIndex)', () => {
  it('builds the same index as parsePolicySnapshot + fromSnapshot, however the bytes are split', () => {
    for (const text of [JSON.stringify(awkwardSnapshot()), JSON.stringify(awkwardSnapshot(), null, 2)]) {
      const expected = PolicyIndex.fromSnapshot(parsePolicySnapshot(JSON.parse(text))).toSnapshot();
      for (const size of [1, 2, 3, 5, 7, 64, 1000, text.length]) {
        assert.deepEqual(readInChunks(text, size).toSnapshot(), expected, `chunks of ${size}`);
      }
    }
  });

  it('reads from an async byte stream and finds entities by id and username', async () => {
    const snapshot = awkwardSnapshot();
    async function* body() {
      const all = bytes(JSON.stringify(snapshot));
      for (let at = 0; at < all.length; at += 100) yield all.slice(at, at + 100);
    }
    const index = await readPolicySnapshot(body());
    assert.equal(index.version, snapshot.version);
    assert.equal(index.generatedAt, snapshot.generatedAt);
    assert.equal(index.credentialByUsername('a"b\\c{d}[e],f:g')?.id, 'cred-awkward');
    assert.equal(index.tenant(snapshot.tenants[0]!.id)?.statusReason, snapshot.tenants[0]!.statusReason);
  });

  it('accepts members in any order and ignores unknown members, as the schema does', () => {
    const { tenants, domains, credentials, inboundRoutes, suppressions, ...header } = fixtureSnapshot();
    const reordered = { suppressions, future: [{ x: [1, { y: '}' }] }], tenants, extra: { a: '[' }, domains, credentials, inboundRoutes, n: null, ...header };
    const index = readInChunks(JSON.stringify(reordered), 13);
    assert.deepEqual(index.toSnapshot(), PolicyIndex.fromSnapshot(fixtureSnapshot()).toSnapshot());
  });

  it('defaults bounceNotices for a tenant written by the previous release', () => {
    const old = JSON.parse(JSON.stringify(fixtureSnapshot()));
    delete old.tenants[0].bounceNotices;
    assert.equal(readInChunks(JSON.stringify(old), 50).tenant(old.tenants[0].id)?.bounceNotices, false);
  });

  const bad: [string, (s: Record<string, unknown> & PolicySnapshot) => void, RegExp][] = [
    ['another schema version', (s) => Object.assign(s, { schemaVersion: 1 }), /schemaVersion/],
    ['a missing version', (s) => Reflect.deleteProperty(s, 'version'), /version/],
    ['a bad generatedAt', (s) => Object.assign(s, { generatedAt: 'yesterday' }), /generatedAt/],
    ['a missing section', (s) => Reflect.deleteProperty(s, 'suppressions'), /suppressions/],
    ['a section that is not an array', (s) => Object.assign(s, { domains: {} }), /domains/],
    ['a non-hex secret digest', (s) => (s.credentials[0]!.secretDigest = 'plaintext'), /credentials\.0\.secretDigest/],
    ['a username with a space', (s) => (s.credentials[1]!.username = 'a b'), /credentials\.1\.username/],
    ['a reject route with a host', (s) => Object.assign(s.inboundRoutes[1]!, { host: '127.0.0.1' }), /inboundRoutes\.1\.host/],
    ['an entity that is not an object', (s) => ((s.tenants as unknown[])[0] = 42), /tenants\.0/],
  ];
  for (const [what, mutate, field] of bad) {
    it(`refuses ${what}, naming the field`, () => {
      const snapshot = fixtureSnapshot() as Record<string, unknown> & PolicySnapshot;
      mutate(snapshot);
      assert.match(contractIssues(() => readInChunks(JSON.stringify(snapshot), 97)), field);
    });
  }

  for (const [what, text] of [
    ['a truncated body', JSON.stringify(fixtureSnapshot()).slice(0, -40)],
    ['an empty body', ''],
    ['a top-level array', '[]'],
    ['text after the document', `${JSON.stringify(fixtureSnapshot())} {}`],
    ['a missing comma between entities', JSON.stringify(fixtureSnapshot()).replace('},{', '}{')],
    ['a broken entity', JSON.stringify(fixtureSnapshot()).replace('"status":"active"', '"status":active')],
    ['a bare word as a member', JSON.stringify(fixtureSnapshot()).replace(/"version":\d+/, '"version":nope')],
  ] as const) {
    it(`refuses ${what} as not JSON or not the contract`, () => {
      contractIssues(() => readInChunks(text, 31));
    });
  }

  it('refuses repeated ids with PolicyIndexError, like fromSnapshot', () => {
    const snapshot = fixtureSnapshot();
    snapshot.credentials.push({ ...snapshot.credentials[0]!, username: 'someone-else' });
    assert.throws(() => readInChunks(JSON.stringify(snapshot), 64), (error) => error instanceof PolicyIndexError && error.code === 'duplicate_id');
  });
});
