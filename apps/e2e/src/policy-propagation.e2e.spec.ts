import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '@smarthost/testkit';
import { onboardCustomer, type Customer, type SmtpCredential } from './customer';
import { type RelayNode, type Stack, startStack } from './stack';
import { expectStatus } from './support/http';
import { queuedId, submit } from './support/submit';

const NODES = ['node-a', 'node-b'] as const;

/**
 * Issue 4: a change made in the API reaches every relay node (two processes sharing one Redis) by long-poll, and
 * a node keeps serving from its last good policy when the API is gone, across its own restart (disk cache).
 */
describe('policy propagation to a relay fleet, and serving without the API (issue 4)', () => {
  let stack: Stack;
  let customer: Customer;
  let revoked: SmtpCredential;
  let live: SmtpCredential;

  before(async () => {
    stack = await startStack({ nodes: NODES.map((name) => ({ name, role: 'relay' as const })) });
    customer = await onboardCustomer(stack, 'acme-fleet.test');
    revoked = await customer.createCredential('to-be-revoked');
    live = await customer.createCredential('stays');
  });
  after(() => stack?.stop());

  const authAccepted = async (node: RelayNode, credential: SmtpCredential) => {
    const probe = await submit(node, { credential, from: customer.sender, to: 'someone@example.net', quitAfter: 'AUTH' });
    if (probe.exitCode !== 0 && probe.exitCode !== 28) throw new Error(`AUTH probe failed (swaks exit ${probe.exitCode}):\n${probe.transcript}`);
    return probe.exitCode === 0;
  };
  const accepts = async (node: RelayNode, credential: SmtpCredential, subject: string) =>
    queuedId(await submit(node, { credential, from: customer.sender, to: 'someone@example.net', subject }));

  it('disabling a credential in the API makes both nodes refuse its AUTH', async () => {
    // Each node learned of the new credential by itself (the nodes pulled their policy before it existed).
    for (const name of NODES) {
      await waitFor(() => authAccepted(stack.node(name), revoked), { timeoutMs: 15_000, intervalMs: 200, description: `${name} accepting the new credential` });
    }
    expectStatus(await customer.api('POST', `/v1/credentials/${revoked.id}/disable`, undefined), 200, 'disable credential');

    // One failed probe per node: the refusal is awaited, not timed, and failures count toward AUTH limits.
    for (const name of NODES) {
      await waitFor(async () => !(await authAccepted(stack.node(name), revoked)), {
        timeoutMs: 15_000,
        intervalMs: 200,
        description: `${name} refusing the disabled credential`,
      });
    }
    for (const name of NODES) assert.equal(await authAccepted(stack.node(name), live), true, `${name} still accepts the other credential`);
  });

  it('with the API killed, both nodes keep accepting mail from their cached policy', async () => {
    await stack.api.kill();
    for (const name of NODES) {
      await accepts(stack.node(name), live, `while the API is down, via ${name}`);
      assert.equal(await authAccepted(stack.node(name), revoked), false, `${name} still refuses the disabled credential`);
    }
  });

  it('a node restarted while the API is still down serves from its disk cache', async () => {
    const node = stack.node('node-a');
    await node.stop();
    await node.start(); // waits for /readyz: Redis answers and a fresh policy is loaded, here from the file
    assert.equal(stack.api.isRunning, false);
    assert.ok(
      await node.process.waitForLog((line) => line.msg === 'policy loaded from cache', 'policy loaded from cache', 5_000),
    );
    await accepts(node, live, 'after a restart without the API');
    assert.equal(await authAccepted(node, revoked), false, 'the cached policy has the credential disabled');
  });
});
