import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deleteChange, upsertChange, type PolicyChange, type PolicyDelta } from './contract';
import { PolicyIndex } from './policy-index';
import { PolicyIndexError } from './policy-tables';
import { credential, fixtureSnapshot } from './test/fixture';

function delta(changes: PolicyChange[], fromVersion = 10, toVersion = fromVersion + 1): PolicyDelta {
  return { schemaVersion: 2, fromVersion, toVersion, generatedAt: '2025-01-02T00:00:00.000Z', changes };
}

function indexErrorCode(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof PolicyIndexError);
    return error.code;
  }
  assert.fail('expected a PolicyIndexError');
}

describe('PolicyIndex lookups', () => {
  const index = PolicyIndex.fromSnapshot(fixtureSnapshot());

  it('finds entities by id, username and name', () => {
    assert.equal(index.version, 10);
    assert.equal(index.tenant('acme')?.status, 'active');
    assert.equal(index.credentialByUsername('user-c-all')?.id, 'c-all');
    assert.equal(index.credentialByUsername('USER-C-ALL'), undefined);
    assert.equal(index.credential('c-news')?.username, 'user-c-news');
    assert.deepEqual(
      index.domainsNamed('acme.example').map((d) => d.id),
      ['d-acme', 'd-globex-claims-acme'],
    );
    assert.equal(index.verifiedDomain('acme', 'acme.example')?.id, 'd-acme');
    assert.equal(index.verifiedDomain('globex', 'acme.example'), undefined);
    assert.equal(index.verifiedDomain('acme', 'unverified.example'), undefined);
  });

  it('matches an exact inbound route before the catch-all, case-insensitively', () => {
    assert.equal(index.inboundRoute('d-ours', 'Sales')?.id, 'r-sales');
    assert.equal(index.inboundRoute('d-ours', 'anyone')?.id, 'r-ours-all');
    assert.equal(index.inboundRoute('d-acme', 'nobody'), undefined);
  });

  it('knows suppressions per tenant', () => {
    assert.equal(index.isSuppressed('acme', 'bounced@remote.example'), true);
    assert.equal(index.isSuppressed('globex', 'bounced@remote.example'), false);
  });

  it('compiles allowlists only for credentials that have one', () => {
    assert.equal(index.credentialAllowlist('c-ip').length, 2);
    assert.equal(index.credentialAllowlist('c-all').length, 0);
  });

  it('gives back the snapshot it was built from', () => {
    assert.deepEqual(index.toSnapshot(), fixtureSnapshot());
  });
});

describe('PolicyIndex integrity', () => {
  const faults: [string, (s: ReturnType<typeof fixtureSnapshot>) => void, string][] = [
    ['a repeated credential id', (s) => s.credentials.push(credential('c-all', 'acme', { username: 'fresh' })), 'duplicate_id'],
    ['a repeated username', (s) => s.credentials.push(credential('c-new', 'globex', { username: 'user-c-all' })), 'duplicate_username'],
    ['a repeated route pattern', (s) => s.inboundRoutes.push({ ...s.inboundRoutes[0]!, id: 'r-dup' }), 'duplicate_route'],
    ['an unreadable allowlist entry', (s) => s.credentials.push(credential('c-bad', 'acme', { ipAllowlist: ['10.1/8'] })), 'invalid_ip_range'],
  ];
  for (const [what, mutate, code] of faults) {
    it(`refuses a snapshot with ${what}`, () => {
      const snapshot = fixtureSnapshot();
      mutate(snapshot);
      assert.equal(indexErrorCode(() => PolicyIndex.fromSnapshot(snapshot)), code);
    });
  }
});

describe('PolicyIndex.applyDelta', () => {
  it('upserts and deletes every kind and moves to the new version', () => {
    const index = PolicyIndex.fromSnapshot(fixtureSnapshot());
    const acme = index.tenant('acme')!;
    index.applyDelta(
      delta([
        upsertChange('tenant', { ...acme, status: 'paused', statusReason: 'review' }),
        upsertChange('domain', { id: 'd-new', tenantId: 'acme', name: 'new.example', verified: true, inboundEnabled: true, inboundDmarc: 'enforce' }),
        upsertChange('credential', credential('c-new', 'acme')),
        deleteChange('credential', 'c-all'),
        upsertChange('inboundRoute', {
          id: 'r-new', tenantId: 'acme', domainId: 'd-new', pattern: '*', action: 'forward', host: 'mx.new.example', port: 25, tlsMode: 'require_verified',
        }),
        deleteChange('inboundRoute', 'r-sales'),
        upsertChange('suppression', { id: 's-2', tenantId: 'acme', address: 'gone@remote.example' }),
        deleteChange('suppression', 's-1'),
      ]),
    );
    assert.equal(index.version, 11);
    assert.equal(index.generatedAt, '2025-01-02T00:00:00.000Z');
    assert.equal(index.tenant('acme')?.status, 'paused');
    assert.equal(index.verifiedDomain('acme', 'new.example')?.id, 'd-new');
    assert.equal(index.credentialByUsername('user-c-new')?.id, 'c-new');
    assert.equal(index.credentialByUsername('user-c-all'), undefined);
    assert.equal(index.credential('c-all'), undefined);
    assert.equal(index.inboundRoute('d-new', 'x')?.id, 'r-new');
    assert.equal(index.inboundRoute('d-ours', 'sales')?.id, 'r-ours-all');
    assert.equal(index.isSuppressed('acme', 'gone@remote.example'), true);
    assert.equal(index.isSuppressed('acme', 'bounced@remote.example'), false);
  });

  it('moves secondary keys when an entity changes them', () => {
    const index = PolicyIndex.fromSnapshot(fixtureSnapshot());
    index.applyDelta(
      delta([
        upsertChange('credential', { ...index.credential('c-all')!, username: 'renamed' }),
        upsertChange('domain', { ...index.domain('d-acme')!, name: 'acme-renamed.example' }),
        upsertChange('credential', { ...index.credential('c-ip')!, ipAllowlist: [] }),
      ]),
    );
    assert.equal(index.credentialByUsername('user-c-all'), undefined);
    assert.equal(index.credentialByUsername('renamed')?.id, 'c-all');
    assert.equal(index.verifiedDomain('acme', 'acme.example'), undefined);
    assert.equal(index.verifiedDomain('acme', 'acme-renamed.example')?.id, 'd-acme');
    assert.equal(index.credentialAllowlist('c-ip').length, 0);
  });

  it('lets a username move from a deleted credential to a new one in the same delta', () => {
    const index = PolicyIndex.fromSnapshot(fixtureSnapshot());
    index.applyDelta(delta([deleteChange('credential', 'c-all'), upsertChange('credential', credential('c-2', 'acme', { username: 'user-c-all' }))]));
    assert.equal(index.credentialByUsername('user-c-all')?.id, 'c-2');
  });

  it('keeps an address suppressed while another suppression of it remains', () => {
    const index = PolicyIndex.fromSnapshot(fixtureSnapshot());
    index.applyDelta(delta([upsertChange('suppression', { id: 's-dup', tenantId: 'acme', address: 'bounced@remote.example' })]));
    index.applyDelta(delta([deleteChange('suppression', 's-1')], 11));
    assert.equal(index.isSuppressed('acme', 'bounced@remote.example'), true);
    index.applyDelta(delta([deleteChange('suppression', 's-dup')], 12));
    assert.equal(index.isSuppressed('acme', 'bounced@remote.example'), false);
  });

  it('ignores deletes of unknown ids', () => {
    const index = PolicyIndex.fromSnapshot(fixtureSnapshot());
    index.applyDelta(delta([deleteChange('tenant', 'nope')]));
    assert.equal(index.version, 11);
  });

  it('refuses a delta that does not start at the current version', () => {
    const index = PolicyIndex.fromSnapshot(fixtureSnapshot());
    for (const from of [9, 11]) {
      assert.equal(indexErrorCode(() => index.applyDelta(delta([deleteChange('credential', 'c-all')], from))), 'version_mismatch');
    }
    assert.equal(index.version, 10);
    assert.ok(index.credential('c-all'));
  });

  it('applies nothing when one change conflicts', () => {
    const index = PolicyIndex.fromSnapshot(fixtureSnapshot());
    const before = index.toSnapshot();
    const code = indexErrorCode(() =>
      index.applyDelta(
        delta([
          deleteChange('credential', 'c-news'),
          upsertChange('credential', { ...index.credential('c-all')!, username: 'moved' }),
          upsertChange('suppression', { id: 's-9', tenantId: 'acme', address: 'new@remote.example' }),
          upsertChange('credential', credential('c-thief', 'globex', { username: 'user-c-senders' })),
        ]),
      ),
    );
    assert.equal(code, 'duplicate_username');
    assert.equal(index.version, 10);
    assert.equal(index.credentialByUsername('user-c-all')?.id, 'c-all');
    assert.equal(index.credentialByUsername('moved'), undefined);
    assert.equal(index.credentialByUsername('user-c-news')?.id, 'c-news');
    assert.equal(index.isSuppressed('acme', 'new@remote.example'), false);
    assert.deepEqual(sorted(index.toSnapshot()), sorted(before));
  });
});

function sorted(snapshot: ReturnType<PolicyIndex['toSnapshot']>) {
  const byId = <T extends { id: string }>(list: T[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
  return {
    ...snapshot,
    tenants: byId(snapshot.tenants),
    domains: byId(snapshot.domains),
    credentials: byId(snapshot.credentials),
    inboundRoutes: byId(snapshot.inboundRoutes),
    suppressions: byId(snapshot.suppressions),
  };
}
