import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { arfReport, lastReplyCode, reply, sendMail, startFeedbackLoop, waitFor, type FeedbackLoop } from '@smarthost/testkit';
import { onboardCustomer, type Customer, type SmtpCredential } from './customer';
import { FEEDBACK_PROVIDER_DOMAIN, type Stack, startStack } from './stack';
import { expectStatus } from './support/http';
import { queuedId, submit } from './support/submit';

const API_WAIT = { timeoutMs: 30_000, intervalMs: 250 };

describe('remote refusals: hard bounce → suppression at the relay; 4xx → retry; late bounces and complaints come back', () => {
  let stack: Stack;
  let customer: Customer;
  let credential: SmtpCredential;
  let feedbackLoop: FeedbackLoop;

  before(async () => {
    // One second of back-off instead of five minutes, so the retry after a 451 comes within the test.
    stack = await startStack({ relayEnv: { DELIVERY_BACKOFF_BASE_SECONDS: '1', DELIVERY_BACKOFF_MAX_SECONDS: '2' } });
    customer = await onboardCustomer(stack, 'acme-bounce.test');
    credential = await customer.createCredential('app');
    stack.routeToSink('example.net');
    feedbackLoop = startFeedbackLoop(stack.dns, FEEDBACK_PROVIDER_DOMAIN);
  });
  after(() => stack?.stop());

  const message = async (id: string) => expectStatus(await customer.api('GET', `/v1/messages/${id}`), 200, `get message ${id}`);

  it('shows a 550 5.1.1 as bounced, suppresses the recipient, and the relay then refuses it with 550 5.1.1', async () => {
    stack.sink.replyToRcpt('ghost@example.net', reply(550, '5.1.1 No such user here'));
    const id = queuedId(await submit(stack.node('node-a'), { credential, from: customer.sender, to: 'ghost@example.net' }));

    const bounced = await waitFor(async () => {
      const detail = await message(id);
      return detail.status === 'bounced' && detail;
    }, { ...API_WAIT, description: `message ${id} bounced` });
    assert.equal(bounced.recipients[0]?.status, 'bounced');
    assert.equal(bounced.recipients[0]?.smtpCode, 550);
    assert.equal(bounced.recipients[0]?.enhancedCode, '5.1.1');
    assert.deepEqual(bounced.events.map((event: { type: string }) => event.type), ['accepted', 'bounced']);
    assert.equal(stack.sink.messages.length, 0, 'nothing reached the mailbox');

    const suppression = await waitFor(async () => {
      const page = expectStatus(await customer.api('GET', '/v1/suppressions'), 200, 'list suppressions');
      return page.items.find((item: { address: string }) => item.address === 'ghost@example.net');
    }, { ...API_WAIT, description: 'a suppression for ghost@example.net' });
    assert.equal(suppression.reason, 'hard_bounce');

    // The suppression travels API → policy → every node: probe with RCPT only until this node has it.
    const refused = await waitFor(async () => {
      const probe = await submit(stack.node('node-a'), { credential, from: customer.sender, to: 'ghost@example.net', quitAfter: 'RCPT' });
      if (lastReplyCode(probe.transcript) !== 550) throw new Error(`not refused yet:\n${probe.transcript}`);
      return probe;
    }, { timeoutMs: 15_000, intervalMs: 250, description: 'the relay refusing the suppressed recipient' });
    assert.match(refused.transcript, /<~\* 550 5\.1\.1 /);

    const again = await submit(stack.node('node-a'), { credential, from: customer.sender, to: 'ghost@example.net' });
    assert.equal(again.exitCode, 24, `RCPT refused, nothing queued:\n${again.transcript}`);
    assert.match(again.transcript, /<~\* 550 5\.1\.1 /);
    // Another recipient of the same sender still goes through: the suppression is per address.
    const other = await submit(stack.node('node-a'), { credential, from: customer.sender, to: 'bob@example.net', quitAfter: 'RCPT' });
    assert.equal(other.exitCode, 0, other.transcript);
  });

  it('retries a 451 after the back-off and shows the message deferred, then delivered', async () => {
    stack.sink.clearMessages();
    stack.sink.replyToRcpt('slow@example.net', [reply(451, '4.3.0 Mailbox busy, try later'), 'accept']);
    const id = queuedId(await submit(stack.node('node-a'), { credential, from: customer.sender, to: 'slow@example.net', subject: 'Retry me' }));

    const [received] = await stack.sink.waitForMessages(1, 30_000);
    assert.deepEqual(received?.envelope.rcptTo, ['slow@example.net']);
    const tries = stack.sink.attempts.filter((attempt) => attempt.stage === 'rcpt' && attempt.address === 'slow@example.net');
    assert.deepEqual(tries.map((attempt) => attempt.code), [451, 250]);

    const delivered = await waitFor(async () => {
      const detail = await message(id);
      return detail.status === 'delivered' && detail;
    }, { ...API_WAIT, description: `message ${id} delivered after the retry` });
    assert.deepEqual(delivered.events.map((event: { type: string }) => event.type), ['accepted', 'deferred', 'delivered']);
    const deferred = delivered.events.find((event: { type: string }) => event.type === 'deferred');
    assert.equal(deferred.smtpCode, 451);
    assert.equal(delivered.recipients[0]?.status, 'delivered');
    assert.equal(delivered.recipients[0]?.attempts, 2);
  });

  it('sends with the relay\'s return path, and a bounce that comes back to it later bounces and suppresses the recipient', async () => {
    stack.sink.clearMessages();
    const id = queuedId(await submit(stack.node('node-a'), { credential, from: customer.sender, to: 'leaver@example.net', subject: 'Late bounce' }));
    const [received] = await stack.sink.waitForMessages(1, 30_000);
    // The message id and a MAC that only the relay's key makes (ADR 0006), under the sender's bounces. name.
    const returnPath = received?.envelope.mailFrom ?? '';
    assert.match(returnPath, new RegExp(`^bounce\\+${id.toLowerCase()}-[0-9a-z]{23}@bounces\\.${customer.sender.split('@')[1]?.replace(/\./g, '\\.')}$`));
    await waitFor(async () => (await message(id)).status === 'delivered', { ...API_WAIT, description: `message ${id} delivered` });

    // Days later the remote mailbox server finds the mailbox gone and sends a DSN to the envelope sender.
    const dsn = [
      `To: ${returnPath}`,
      'Subject: Undelivered Mail Returned to Sender',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="R"',
      '',
      '--R',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.net',
      '',
      'Final-Recipient: rfc822; leaver@example.net',
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 mailbox closed',
      '',
      '--R--',
      '',
    ].join('\r\n');
    const node = stack.node('node-a');
    const sent = await sendMail({ port: node.ports!.inbound, message: { envelope: { from: '', to: returnPath }, raw: dsn } });
    assert.ok(sent.ok, sent.ok ? '' : sent.response);

    const bounced = await waitFor(async () => {
      const detail = await message(id);
      return detail.recipients[0]?.status === 'bounced' && detail;
    }, { ...API_WAIT, description: `message ${id} bounced after the late report` });
    assert.equal(bounced.recipients[0]?.enhancedCode, '5.1.1');
    const suppression = await waitFor(async () => {
      const page = expectStatus(await customer.api('GET', '/v1/suppressions'), 200, 'list suppressions');
      return page.items.find((item: { address: string }) => item.address === 'leaver@example.net');
    }, { ...API_WAIT, description: 'a suppression for leaver@example.net' });
    assert.equal(suppression.reason, 'hard_bounce');
  });

  /** Delivers one message to `to` and returns its id and the return path it reached the remote server with. */
  const delivered = async (to: string, subject: string) => {
    stack.sink.clearMessages();
    const id = queuedId(await submit(stack.node('node-a'), { credential, from: customer.sender, to, subject }));
    const [received] = await stack.sink.waitForMessages(1, 30_000);
    await waitFor(async () => (await message(id)).status === 'delivered', { ...API_WAIT, description: `message ${id} delivered` });
    return { id, returnPath: received?.envelope.mailFrom ?? '' };
  };
  const complain = async (raw: string) => {
    const node = stack.node('node-a');
    const sent = await sendMail({ port: node.ports!.inbound, message: { envelope: { from: '', to: `fbl@${node.hostname}` }, raw } });
    assert.ok(sent.ok, sent.ok ? '' : sent.response);
  };
  const suppressionOf = async (address: string) =>
    (expectStatus(await customer.api('GET', '/v1/suppressions'), 200, 'list suppressions').items as { address: string; reason: string }[]).find((item) => item.address === address);

  it('suppresses a recipient whose mailbox provider reports a spam complaint, signed by its feedback loop', async () => {
    const { id, returnPath } = await delivered('fan@example.net', 'Newsletter');
    await complain(await feedbackLoop.sign(arfReport({ returnPath, recipient: 'fan@example.net', to: `fbl@${stack.node('node-a').hostname}`, from: `fbl@${FEEDBACK_PROVIDER_DOMAIN}` })));
    const suppression = await waitFor(() => suppressionOf('fan@example.net'), { ...API_WAIT, description: 'a suppression for fan@example.net' });
    assert.equal(suppression.reason, 'complaint');
    const detail = await message(id);
    assert.ok(detail.events.some((event: { type: string }) => event.type === 'complained'), 'the complaint is on the message timeline');
    const reputation = expectStatus(await customer.api('GET', '/v1/reputation/bounce-rate'), 200, 'reputation');
    assert.equal(reputation.complained, 1, 'it counts for the reputation guard');
  });

  it('keeps an unsigned complaint on the timeline as unverified, and neither suppresses nor counts it', async () => {
    const { id, returnPath } = await delivered('reader@example.net', 'Digest');
    await complain(arfReport({ returnPath, recipient: 'reader@example.net', to: `fbl@${stack.node('node-a').hostname}` }));
    const detail = await waitFor(async () => {
      const shown = await message(id);
      return shown.events.some((event: { type: string }) => event.type === 'complaint_unverified') && shown;
    }, { ...API_WAIT, description: `an unverified complaint on message ${id}` });
    const event = detail.events.find((e: { type: string }) => e.type === 'complaint_unverified');
    assert.match(event.response, /unverified: not DKIM-signed/);
    assert.equal(await suppressionOf('reader@example.net'), undefined);
    const reputation = expectStatus(await customer.api('GET', '/v1/reputation/bounce-rate'), 200, 'reputation');
    assert.equal(reputation.complained, 1, 'only the signed complaint counts');
  });
});
