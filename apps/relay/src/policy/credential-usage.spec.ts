import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CredentialUsage } from './credential-usage';

describe('CredentialUsage', () => {
  it('keeps one entry per credential, the latest login, whatever the number of logins', () => {
    const usage = new CredentialUsage();
    for (let i = 0; i < 60; i++) usage.record('c1', '192.0.2.1', new Date(Date.UTC(2026, 0, 1, 0, 0, i)));
    usage.record('c2', '2001:db8::1', new Date(Date.UTC(2026, 0, 1, 0, 0, 5)));
    assert.deepEqual(usage.take(), [
      { credentialId: 'c1', at: '2026-01-01T00:00:59.000Z', ip: '192.0.2.1' },
      { credentialId: 'c2', at: '2026-01-01T00:00:05.000Z', ip: '2001:db8::1' },
    ]);
    assert.deepEqual(usage.take(), []);
  });

  it('hands out at most `max` per take, the rest on the next', () => {
    const usage = new CredentialUsage();
    for (let i = 0; i < 5; i++) usage.record(`c${i}`, '192.0.2.1');
    assert.equal(usage.take(3).length, 3);
    assert.deepEqual(usage.take(3).map((u) => u.credentialId), ['c3', 'c4']);
  });

  it('takes back the uses of a failed heartbeat, but never over a newer login', () => {
    const usage = new CredentialUsage();
    usage.record('c1', '192.0.2.1', new Date('2026-01-01T00:00:00Z'));
    usage.record('c2', '192.0.2.2', new Date('2026-01-01T00:00:00Z'));
    const lost = usage.take();
    usage.record('c2', '192.0.2.9', new Date('2026-01-01T00:01:00Z'));
    usage.giveBack(lost);
    assert.deepEqual(usage.take().map((u) => [u.credentialId, u.ip]), [['c2', '192.0.2.9'], ['c1', '192.0.2.1']]);
  });
});
