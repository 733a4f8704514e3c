import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelay, nextAttemptAt } from './delivery-state';
import { outcomeFromReply, parseReply } from './recipient-outcome';

describe('outcomeFromReply', () => {
  const cases: [string, 'mail' | 'rcpt' | 'data', string, string | null][] = [
    ['250 2.0.0 Ok: queued', 'data', 'delivered', null],
    ['451 4.3.0 try later', 'rcpt', 'deferred', 'temporary'],
    ['550 5.1.1 no such user', 'rcpt', 'bounced', 'hard_bounce'],
    ['550 5.1.1 no such user', 'data', 'bounced', 'hard_bounce'],
    ['550 no such user here', 'rcpt', 'bounced', 'hard_bounce'],
    ['554 5.7.1 blocked by policy', 'rcpt', 'bounced', 'permanent'],
    ['550 5.1.8 bad sender domain', 'mail', 'bounced', 'permanent'],
    ['552 5.3.4 too big', 'data', 'bounced', 'permanent'],
  ];
  for (const [reply, phase, status, code] of cases) {
    it(`${reply} at ${phase} → ${status} ${code ?? ''}`, () => {
      const outcome = outcomeFromReply(reply, phase, 'mx.test[127.0.0.1]:25');
      assert.deepEqual([outcome.status, outcome.code], [status, code]);
    });
  }

  it('keeps code, enhanced code and text of multi-line replies', () => {
    assert.deepEqual(parseReply('550-5.1.1 first line\n550 5.1.1 second line'), { code: 550, enhancedCode: '5.1.1', text: 'first line second line' });
    assert.equal(parseReply('450 4.2.0 x')?.enhancedCode, '4.2.0');
    assert.equal(parseReply('450 5.2.0 class does not match')?.enhancedCode, null);
  });
});

describe('back-off', () => {
  const policy = { baseMs: 60_000, maxMs: 600_000 };
  it('doubles per attempt up to the maximum', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 40].map((attempt) => backoffDelay(attempt, policy)), [60_000, 120_000, 240_000, 480_000, 600_000, 600_000]);
  });
  it('never schedules past the deadline', () => {
    assert.equal(nextAttemptAt(1_000, 5, 31_000, policy), 31_000);
    assert.equal(nextAttemptAt(1_000, 1, 10_000_000, policy), 61_000);
  });
});
