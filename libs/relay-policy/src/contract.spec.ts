import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  deleteChange,
  parsePolicyDelta,
  parsePolicySnapshot,
  PolicyContractError,
  upsertChange,
  type PolicyDelta,
} from './contract';
import { credential, fixtureSnapshot } from './test/fixture';

function contractIssues(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof PolicyContractError);
    return error.issues.join('\n');
  }
  assert.fail('expected a PolicyContractError');
}

describe('policy snapshot contract', () => {
  it('accepts a well-formed snapshot unchanged', () => {
    const snapshot = fixtureSnapshot();
    assert.deepEqual(parsePolicySnapshot(JSON.parse(JSON.stringify(snapshot))), snapshot);
  });

  it('refuses another schema version', () => {
    assert.match(contractIssues(() => parsePolicySnapshot({ ...fixtureSnapshot(), schemaVersion: 1 })), /schemaVersion/);
  });

  it('reads a tenant without bounceNotices (a snapshot cached by the previous release) as notices off', () => {
    const snapshot = fixtureSnapshot();
    snapshot.tenants[0]!.bounceNotices = true;
    const old = JSON.parse(JSON.stringify(snapshot));
    delete old.tenants[1].bounceNotices;
    const parsed = parsePolicySnapshot(old);
    assert.equal(parsed.tenants[0]?.bounceNotices, true);
    assert.equal(parsed.tenants[1]?.bounceNotices, false);
  });

  const badFields: [string, (s: ReturnType<typeof fixtureSnapshot>) => void, RegExp][] = [
    ['a domain name that is not normalised', (s) => (s.domains[0]!.name = 'Acme.example'), /domains\.0\.name/],
    ['an IDN domain in U-label form', (s) => (s.domains[0]!.name = 'bücher.example'), /domains\.0\.name/],
    ['a non-hex secret digest', (s) => (s.credentials[0]!.secretDigest = 'plaintext'), /credentials\.0\.secretDigest/],
    ['an allowed sender that is not normalised', (s) => (s.credentials[0]!.allowedSenders = ['Bob@acme.example']), /allowedSenders\.0/],
    ['a bad CIDR', (s) => (s.credentials[0]!.ipAllowlist = ['10.0.0.0/40']), /ipAllowlist\.0/],
    ['a username with a space', (s) => (s.credentials[0]!.username = 'a b'), /credentials\.0\.username/],
    ['an unknown tenant status', (s) => Object.assign(s.tenants[0]!, { status: 'deleted' }), /tenants\.0\.status/],
    ['a route pattern with a percent hack', (s) => (s.inboundRoutes[0]!.pattern = 'a%b'), /inboundRoutes\.0\.pattern/],
    ['an uppercase route pattern', (s) => (s.inboundRoutes[0]!.pattern = 'Sales'), /inboundRoutes\.0\.pattern/],
    ['a forward route without a host', (s) => Object.assign(s.inboundRoutes[0]!, { host: null }), /inboundRoutes\.0\.host/],
    ['a reject route with a host', (s) => Object.assign(s.inboundRoutes[1]!, { host: '127.0.0.1' }), /inboundRoutes\.1\.host/],
    ['a suppression address that is not normalised', (s) => (s.suppressions[0]!.address = 'X@remote.example'), /suppressions\.0\.address/],
    ['a zero recipient limit', (s) => (s.tenants[0]!.limits.recipientsPerMessage = 0), /recipientsPerMessage/],
    ['a bounce-notice setting that is not a boolean', (s) => Object.assign(s.tenants[0]!, { bounceNotices: 'yes' }), /tenants\.0\.bounceNotices/],
  ];
  for (const [what, mutate, field] of badFields) {
    it(`names the field for ${what}`, () => {
      const snapshot = fixtureSnapshot();
      mutate(snapshot);
      assert.match(contractIssues(() => parsePolicySnapshot(snapshot)), field);
    });
  }
});

describe('policy delta contract', () => {
  const delta = (changes: PolicyDelta['changes']): PolicyDelta => ({
    schemaVersion: 2,
    fromVersion: 10,
    toVersion: 11,
    generatedAt: '2025-01-01T00:00:01.000Z',
    changes,
  });

  it('round-trips upserts and deletes of every kind', () => {
    const snapshot = fixtureSnapshot();
    const changes = [
      upsertChange('tenant', snapshot.tenants[0]!),
      upsertChange('domain', snapshot.domains[0]!),
      upsertChange('credential', snapshot.credentials[0]!),
      upsertChange('inboundRoute', snapshot.inboundRoutes[0]!),
      upsertChange('inboundRoute', snapshot.inboundRoutes[1]!),
      upsertChange('suppression', snapshot.suppressions[0]!),
      deleteChange('credential', 'c-all'),
    ];
    assert.deepEqual(parsePolicyDelta(JSON.parse(JSON.stringify(delta(changes)))), delta(changes));
  });

  it('refuses a change whose value does not fit its kind', () => {
    const bad = { kind: 'tenant', op: 'upsert', value: fixtureSnapshot().domains[0] };
    assert.match(contractIssues(() => parsePolicyDelta(delta([bad as never]))), /changes\.0\.value/);
  });

  it('refuses a delta that does not move forward', () => {
    assert.match(contractIssues(() => parsePolicyDelta({ ...delta([]), toVersion: 10 })), /toVersion/);
  });

  it('keeps a one-change delta small', () => {
    const big = credential('c-big', 'acme', {
      allowedDomainIds: Array.from({ length: 20 }, (_, i) => `00000000-0000-4000-8000-0000000000${10 + i}`),
      allowedSenders: Array.from({ length: 20 }, (_, i) => `sender-${i}@acme.example`),
      ipAllowlist: ['192.0.2.0/24', '2001:db8::/32'],
    });
    const size = Buffer.byteLength(JSON.stringify(delta([upsertChange('credential', big)])));
    assert.ok(size < 3000, `one-change delta is ${size} bytes`);
  });
});
