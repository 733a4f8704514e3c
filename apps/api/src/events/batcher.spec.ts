import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Batcher } from './batcher';

describe('Batcher', () => {
  it('writes a full batch at once and a partial one after the wait', async () => {
    const batches: number[][] = [];
    const batcher = new Batcher<number>(async (items) => void batches.push(items), { maxSize: 3, maxWaitMs: 20 }, () => {});
    await Promise.all([1, 2, 3, 4].map((n) => batcher.add(n)));
    assert.deepEqual(batches, [[1, 2, 3], [4]]);
  });

  it('after a failed batch, retries items one by one so only the bad one fails', async () => {
    const writes: number[][] = [];
    const errors: number[] = [];
    const batcher = new Batcher<number>(
      async (items) => {
        writes.push(items);
        if (items.includes(2)) throw new Error('bad item');
      },
      { maxSize: 3, maxWaitMs: 20 },
      (_error, size) => errors.push(size),
    );
    const results = await Promise.allSettled([1, 2, 3].map((n) => batcher.add(n)));
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.deepEqual(writes, [[1, 2, 3], [1], [2], [3]]);
    assert.deepEqual(errors, [3]);
  });

  it('never writes two batches at the same time, and keeps their order', async () => {
    let running = 0;
    let most = 0;
    const batches: number[][] = [];
    const batcher = new Batcher<number>(
      async (items) => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 10));
        batches.push(items);
        running -= 1;
      },
      { maxSize: 2, maxWaitMs: 20 },
      () => {},
    );
    await Promise.all([1, 2, 3, 4, 5, 6].map((n) => batcher.add(n)));
    assert.equal(most, 1);
    assert.deepEqual(batches, [[1, 2], [3, 4], [5, 6]]);
  });
});
