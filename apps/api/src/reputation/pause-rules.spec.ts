import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pauseReason, smallestSample } from './pause-rules';

const rules = { bounceRate: 0.1, minMessages: 200, complaintRate: 0.003, minDelivered: 1000 };

describe('pauseReason', () => {
  const cases: [name: string, delivered: number, bounced: number, complained: number, pauses: boolean][] = [
    ['a clean list sends on', 1000, 20, 0, false],
    ['bounces just under the rate send on', 901, 99, 0, false],
    ['bounces at the rate pause', 900, 100, 0, true],
    ['far above it pauses', 100, 150, 0, true],
    ['too few messages to judge bounces, however bad', 50, 149, 0, false],
    ['the bounce minimum counts bounces too', 100, 100, 0, true],
    ['complaints just under 0.3% send on', 1000, 0, 2, false],
    ['complaints at 0.3% pause', 1000, 0, 3, true],
    ['too few deliveries to judge complaints: one in 300 is not 0.3%', 300, 0, 1, false],
  ];
  for (const [name, delivered, bounced, complained, pauses] of cases) {
    it(name, () => assert.equal(pauseReason({ delivered, bounced, complained }, rules) !== null, pauses));
  }

  it('says what happened and what to do', () => {
    assert.equal(
      pauseReason({ delivered: 300, bounced: 50, complained: 0 }, rules),
      'bounce rate 14.3% (50 of 350 messages in the last 24 hours): remove the addresses that bounce, then ask support to resume sending',
    );
    assert.equal(
      pauseReason({ delivered: 2000, bounced: 0, complained: 9 }, rules),
      'spam complaint rate 0.45% (9 of 2000 delivered messages in the last 24 hours): send only to people who asked for your mail, then ask support to resume sending',
    );
  });

  it('never pauses for a rule that is turned off', () => {
    const off = { ...rules, bounceRate: 0, complaintRate: 0 };
    assert.equal(pauseReason({ delivered: 5000, bounced: 10_000, complained: 500 }, off), null);
  });

  it('looks only at tenants big enough for one of the rules', () => {
    assert.equal(smallestSample(rules), 200);
  });
});
