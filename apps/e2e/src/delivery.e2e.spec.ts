import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '@smarthost/testkit';
import { dkimVerify } from 'mailauth';
import { onboardCustomer, type Customer, type SmtpCredential } from './customer';
import { type Stack, startStack } from './stack';
import { expectStatus } from './support/http';
import { queuedId, submit } from './support/submit';

/**
 * Issue 5, the whole path: an application submits over STARTTLS with AUTH, the relay queues it, a worker signs it
 * with the domain's DKIM key and delivers it to the recipient domain's MX, and the customer sees it in the API.
 */
describe('submit, sign, deliver, report (issue 5)', () => {
  let stack: Stack;
  let customer: Customer;
  let credential: SmtpCredential;

  before(async () => {
    stack = await startStack();
    customer = await onboardCustomer(stack, 'acme-deliver.test');
    credential = await customer.createCredential('app');
    stack.routeToSink('example.net');
  });
  after(() => stack?.stop());

  it('delivers a DKIM-signed message to the MX and shows it delivered, with its timeline and in the stats', async () => {
    const result = await submit(stack.node('node-a'), {
      credential,
      from: customer.sender,
      to: 'alice@example.net',
      subject: 'Invoice 42',
    });
    assert.match(result.transcript, /~> AUTH PLAIN/, 'AUTH ran inside STARTTLS');
    const id = queuedId(result);

    const [received] = await stack.sink.waitForMessages(1, 30_000);
    assert.ok(received);
    assert.deepEqual(received.envelope.rcptTo, ['alice@example.net']);
    assert.match(received.raw.toString('utf8'), /^Subject: Invoice 42\r?$/m);

    // The verifier asks the same loopback DNS server the customer published the DKIM key on.
    const resolver = new Resolver();
    resolver.setServers([stack.dns.server]);
    const verified = await dkimVerify(received.raw, { resolver: (name, type) => resolver.resolve(name, type) as Promise<string[][]> });
    const signature = verified.results.find((entry) => entry.signingDomain === 'acme-deliver.test');
    assert.ok(signature, `no signature by acme-deliver.test: ${JSON.stringify(verified.results)}`);
    assert.equal(signature.status.result, 'pass', JSON.stringify(signature.status));

    const listed = await waitFor(async () => {
      const page = expectStatus(await customer.api('GET', `/v1/messages?messageId=${id}`), 200, 'search messages');
      return page.items[0]?.status === 'delivered' && page.items[0];
    }, { timeoutMs: 30_000, intervalMs: 250, description: `message ${id} delivered in GET /v1/messages` });
    assert.equal(listed.id, id);
    assert.equal(listed.mailFrom, customer.sender);

    const detail = await waitFor(async () => {
      const message = expectStatus(await customer.api('GET', `/v1/messages/${id}`), 200, 'get message');
      return message.events.some((event: { type: string }) => event.type === 'delivered') && message;
    }, { timeoutMs: 30_000, intervalMs: 250, description: 'delivered event in the timeline' });
    assert.deepEqual(detail.events.map((event: { type: string }) => event.type), ['accepted', 'delivered']);
    assert.equal(detail.recipients[0]?.address, 'alice@example.net');
    assert.equal(detail.recipients[0]?.status, 'delivered');
    assert.equal(detail.recipients[0]?.smtpCode, 250);

    const stats = await waitFor(async () => {
      const series = expectStatus(await customer.api('GET', '/v1/stats'), 200, 'stats');
      return series.totals.delivered >= 1 && series;
    }, { timeoutMs: 30_000, intervalMs: 250, description: 'GET /v1/stats counts the delivery' });
    assert.equal(stats.totals.accepted, 1);
    assert.equal(stats.totals.delivered, 1);
    assert.equal(stats.totals.bounced, 0);
  });
});
