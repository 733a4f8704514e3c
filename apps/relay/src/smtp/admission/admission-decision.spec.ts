import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { admissionDecision, bucketFull, takeToken, type AdmissionLoad } from './admission-decision';
import { missedDeadline, type SessionClock } from './session-clock';

const caps = { maxClients: 100, perClient: 10, unauthenticated: 50 };
const load = (over: Partial<AdmissionLoad>): AdmissionLoad => ({ open: 0, unauthenticated: 0, clientOpen: 0, clientTokenTaken: true, ...over });

describe('admissionDecision', () => {
  for (const [name, over, expected] of [
    ['an idle listener admits', {}, null],
    ['the per-minute budget spent', { clientTokenTaken: false }, 'client_rate'],
    ['the group at its share', { clientOpen: 10 }, 'client_connections'],
    ['the group one below its share', { clientOpen: 9, open: 9, unauthenticated: 9 }, null],
    ['the listener full of authenticated sessions', { open: 100, unauthenticated: 0 }, 'listener_full'],
    ['unauthenticated sessions at their share', { open: 50, unauthenticated: 50 }, 'unauthenticated_full'],
    ['room left beside many authenticated sessions', { open: 90, unauthenticated: 49 }, null],
  ] as const) {
    it(`${name}: ${expected ?? 'admitted'}`, () => {
      assert.equal(admissionDecision(load(over), caps), expected);
    });
  }
});

describe('takeToken', () => {
  it('allows perMinute at once, then refills continuously', () => {
    const bucket = { tokens: 3, at: 0 };
    assert.deepEqual([takeToken(bucket, 0, 3), takeToken(bucket, 0, 3), takeToken(bucket, 0, 3), takeToken(bucket, 0, 3)], [true, true, true, false]);
    assert.equal(takeToken(bucket, 10_000, 3), false, 'half a token after 10 s');
    assert.equal(takeToken(bucket, 20_000, 3), true, 'one token after 20 s');
    assert.equal(bucketFull(bucket, 60_000, 3), false);
    assert.equal(bucketFull(bucket, 80_000, 3), true);
  });
});

describe('missedDeadline', () => {
  const limits = { handshakeMs: 10_000, sessionMs: 600_000, lineMs: 30_000, dataMinBytesPerSecond: 500, unauthenticatedIdleMs: 20_000 };
  const clock = (over: Partial<SessionClock>): SessionClock => ({
    acceptedAt: 0, inSession: true, authenticated: false, lastInputAt: 0, lineStartedAt: 0, dataStartedAt: 0, dataBytes: 0, busy: 0, ...over,
  });
  for (const [name, over, now, expected] of [
    ['a TLS handshake within its deadline', { inSession: false }, 9_000, null],
    ['a TLS handshake past its deadline', { inSession: false }, 11_000, 'handshake_slow'],
    ['an unauthenticated session idle past its deadline', {}, 21_000, 'idle'],
    ['an authenticated session idle as long (smtp-server times it)', { authenticated: true }, 21_000, null],
    ['a line trickling in past its deadline', { authenticated: true, lastInputAt: 30_500, lineStartedAt: 0.5 }, 31_000, 'line_slow'],
    ['DATA at the minimum rate', { authenticated: true, lastInputAt: 59_000, dataStartedAt: 1, dataBytes: 15_000 }, 60_000, null],
    ['DATA below the minimum rate', { authenticated: true, lastInputAt: 59_000, dataStartedAt: 1, dataBytes: 1_000 }, 60_000, 'data_slow'],
    ['the session time spent', { authenticated: true, lastInputAt: 600_500 }, 601_000, 'session_time'],
    ['the session time spent while a message is being decided', { authenticated: true, busy: 1 }, 601_000, null],
    ['idle while the relay decides (AUTH tarpit, storage)', { busy: 1 }, 21_000, null],
  ] as const) {
    it(`${name}: ${expected ?? 'kept'}`, () => {
      assert.equal(missedDeadline(clock(over), now, limits), expected);
    });
  }
});
