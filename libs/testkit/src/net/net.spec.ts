import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

describe('freePort', () => {
  it('returns a port that can be bound on loopback', async () => {
    const port = await freePort();
    assert.ok(port > 0 && port < 65536);
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('waitFor', () => {
  it('resolves with the first truthy value', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? { calls } : undefined), { intervalMs: 5 });
    assert.deepEqual(value, { calls: 3 });
  });

  it('retries a throwing predicate and reports its last error on timeout', async () => {
    await assert.rejects(
      waitFor(
        () => {
          throw new Error('still broken');
        },
        { timeoutMs: 50, intervalMs: 10, description: 'the thing' },
      ),
      (error: Error) => /the thing not met within 50 ms/.test(error.message) && (error.cause as Error).message === 'still broken',
    );
  });

  it('awaits async predicates', async () => {
    assert.equal(await waitFor(async () => 'done'), 'done');
  });
});
