import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { mapLimited } from './map-limited';

describe('mapLimited', () => {
  it('keeps at most `limit` tasks in flight and returns results in item order', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapLimited([5, 1, 4, 2, 3, 0], 2, async (ms) => {
      peak = Math.max(peak, ++running);
      await sleep(ms);
      running--;
      return ms * 10;
    });
    assert.deepEqual(results, [50, 10, 40, 20, 30, 0]);
    assert.equal(peak, 2);
  });

  it('starts nothing after a failure and throws it once the running tasks finished', async () => {
    const started: number[] = [];
    let finished = 0;
    const run = mapLimited([0, 1, 2, 3, 4, 5], 2, async (item) => {
      started.push(item);
      if (item === 1) throw new Error('boom');
      await sleep(5);
      finished++;
      return item;
    });
    await assert.rejects(run, /boom/);
    assert.deepEqual(started, [0, 1]);
    assert.equal(finished, 1);
  });

  it('handles no items', async () => {
    assert.deepEqual(await mapLimited([], 3, async () => 1), []);
  });
});
