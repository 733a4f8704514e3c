import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bouncePauseReason } from './bounce-rate';

describe('bouncePauseReason', () => {
  const rule = { pauseRate: 0.1, minMessages: 200 };
  const cases: [name: string, delivered: number, bounced: number, pauses: boolean][] = [
    ['a clean list sends on', 1000, 20, false],
    ['just under the rate sends on', 901, 99, false],
    ['at the rate pauses', 900, 100, true],
    ['far above it pauses', 100, 150, true],
    ['too few messages to judge, however bad', 50, 149, false],
    ['the minimum counts bounces too', 100, 100, true],
  ];
  for (const [name, delivered, bounced, pauses] of cases) {
    it(name, () => assert.equal(bouncePauseReason({ delivered, bounced }, rule) !== null, pauses));
  }

  it('says what happened and what to do', () => {
    assert.equal(
      bouncePauseReason({ delivered: 300, bounced: 50 }, rule),
      'bounce rate 14.3% (50 of 350 messages in the last 24 hours): remove the addresses that bounce, then ask support to resume sending',
    );
  });

  it('never pauses when the guard is off', () => {
    assert.equal(bouncePauseReason({ delivered: 0, bounced: 10_000 }, { pauseRate: 0, minMessages: 1 }), null);
  });
});
