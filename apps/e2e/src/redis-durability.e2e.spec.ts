import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { onboardCustomer, type Customer, type SmtpCredential } from './customer';
import { type Stack, startStack } from './stack';
import { type PrivateRedis, startPrivateRedis } from './support/redis-server';
import { queuedId, submit } from './support/submit';

// Below the free plan's 10 messages a minute, so every submission is accepted.
const MESSAGES = 8;

/**
 * "250 means it is in Redis and will be delivered": accepted messages survive Redis being killed outright. Redis
 * runs with the production settings (AOF, noeviction) except `appendfsync always` instead of `everysec`:
 * production accepts losing up to a second of writes on a crash (documented), and a test that SIGKILLs within that
 * second would be flaky; `always` makes "fsynced before the 250" deterministic, which is what this test proves the
 * relay relies on.
 */
describe('accepted mail survives a Redis crash', () => {
  let redis: PrivateRedis;
  let stack: Stack;
  let customer: Customer;
  let credential: SmtpCredential;

  before(async () => {
    redis = await startPrivateRedis(['--appendfsync', 'always']);
    // Listeners only: nothing is delivered until the worker starts after the crash.
    stack = await startStack({ redisUrl: redis.url, nodes: [{ name: 'relay-a', role: 'relay' }] });
    customer = await onboardCustomer(stack, 'acme-durable.test');
    credential = await customer.createCredential('app');
    stack.routeToSink('example.net');
  });
  after(async () => {
    await stack?.stop();
    await redis?.destroy();
  });

  it(`delivers all ${MESSAGES} accepted messages after redis-server is SIGKILLed and restarted from its data`, async () => {
    const subjects = Array.from({ length: MESSAGES }, (_, i) => `durable ${i + 1}`);
    for (const [i, subject] of subjects.entries()) {
      queuedId(await submit(stack.node('relay-a'), { credential, from: customer.sender, to: `user${i + 1}@example.net`, subject }));
    }
    assert.equal(stack.sink.messages.length, 0, 'no worker yet: nothing delivered before the crash');

    await redis.kill();
    await redis.start();
    await stack.addNode({ name: 'worker-a', role: 'worker' });

    const received = await stack.sink.waitForMessages(MESSAGES, 30_000);
    const receivedSubjects = new Set(received.map((message) => /^Subject: (.*?)\r?$/m.exec(message.raw.toString('utf8'))?.[1]));
    assert.deepEqual([...receivedSubjects].sort(), [...subjects].sort());
  });
});
