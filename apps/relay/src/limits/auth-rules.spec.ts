import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientKey, judgeFailure, type AuthLimits, type FailureCounts } from './auth-rules';

const limits: AuthLimits = {
  maxFailuresPerConnection: 3,
  tarpitStepMs: 250,
  tarpitMaxMs: 5000,
  windowSeconds: 60,
  blockSeconds: 300,
  maxFailuresPerUsername: 30,
  maxUsernamesPerAddress: 10,
};

const counts = (overrides: Partial<FailureCounts>): FailureCounts => ({
  addressFailures: 1,
  usernameFailures: 1,
  pairFailures: 1,
  usernames: 1,
  ...overrides,
});

describe('judgeFailure', () => {
  const table: [string, Partial<FailureCounts>, number, string][] = [
    ['a first failure (a typo) is answered at once', {}, 0, 'none'],
    ['the second failure from the address waits one step', { addressFailures: 2 }, 250, 'none'],
    ['the delay grows with the address failures', { addressFailures: 9 }, 2000, 'none'],
    ['and stops at the cap', { addressFailures: 500, pairFailures: 25 }, 5000, 'none'],
    ['a username failing from many addresses slows its own failures too', { usernameFailures: 5 }, 1000, 'none'],
    ['30 failures for one username from one address: slow, not refused', { addressFailures: 30, pairFailures: 30, usernameFailures: 30 }, 5000, 'none'],
    ['the 31st failure for that username there refuses that username there', { addressFailures: 31, pairFailures: 31 }, 5000, 'username'],
    ['ten usernames failing from one address: not yet stuffing', { addressFailures: 10, usernames: 10 }, 2250, 'none'],
    ['an eleventh username failing from the address refuses the address', { addressFailures: 11, usernames: 11 }, 2500, 'address'],
    ['stuffing wins over a flooded username', { addressFailures: 40, pairFailures: 31, usernames: 11 }, 5000, 'address'],
  ];
  for (const [name, given, delayMs, block] of table) {
    it(name, () => assert.deepEqual(judgeFailure(counts(given), limits), { delayMs, block }));
  }

  it('a tarpit step of 0 turns the delay off', () => {
    assert.equal(judgeFailure(counts({ addressFailures: 50 }), { ...limits, tarpitStepMs: 0 }).delayMs, 0);
  });
});

describe('clientKey', () => {
  const table: [string, string][] = [
    ['127.0.0.1', '127.0.0.1'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['2001:db8:1:2:aaaa::1', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['2001:db8:1:3::1', '2001:db8:1:3::/64'],
  ];
  for (const [ip, key] of table) it(`${ip} counts as ${key}`, () => assert.equal(clientKey(ip), key));
});
