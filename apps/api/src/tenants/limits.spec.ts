import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { effectiveLimits } from './limits';

const plan = { messagesPerDay: 100, messagesPerMonth: 3000, messagesPerMinute: 10, recipientsPerMessage: 50, maxMessageBytes: 10_000_000 };
const none = {
  messagesPerDayOverride: null,
  messagesPerMonthOverride: null,
  messagesPerMinuteOverride: null,
  recipientsPerMessageOverride: null,
  maxMessageBytesOverride: null,
};

describe('effectiveLimits', () => {
  it('is the plan when the tenant has no overrides', () => {
    assert.deepEqual(effectiveLimits(plan, none), plan);
  });

  it('takes each override that is set, including a zero that stops sending', () => {
    const limits = effectiveLimits(plan, { ...none, messagesPerDayOverride: 0, maxMessageBytesOverride: 25_000_000 });
    assert.deepEqual(limits, { ...plan, messagesPerDay: 0, maxMessageBytes: 25_000_000 });
  });
});
