import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { messageBytes, parseDeliveryJob, parseRelayEvent } from '@smarthost/queues';
import { lastReplyCode, sendMail, swaks } from '@smarthost/testkit';
import { upsertChange } from '@smarthost/relay-policy';
import { PASSWORDS, tenant } from '../test/fixtures';
import { RELAY_HOSTNAME, startTestBed, type RelayTestBed } from '../test/test-relay';

describe('authenticated submission is queued durably', () => {
  let bed: RelayTestBed;
  before(async () => {
    bed = await startTestBed();
  });
  after(() => bed.close());

  async function jobFor(messageId: string) {
    const job = await bed.deliveryQueue.getJob(messageId);
    assert.ok(job, `job ${messageId} in the delivery queue`);
    return parseDeliveryJob(job.data);
  }

  it('nodemailer over STARTTLS on the submission port', async () => {
    const result = await sendMail({
      port: bed.relay.ports.submission,
      requireTLS: true,
      auth: { user: 'acme-app', pass: PASSWORDS.acme },
      message: { from: 'news@acme.test', to: 'Someone@Example.org', subject: 'hi', text: 'hello' },
    });
    assert.ok(result.ok, result.ok ? '' : result.response);
    const id = /queued as ([0-9A-Z]{26})/.exec(result.info.response)?.[1];
    assert.match(result.info.response, /^250 2\.0\.0 OK queued as /);
    const job = await jobFor(id as string);
    assert.equal(job.direction, 'outbound');
    assert.equal(job.tenantId, 't-acme');
    assert.equal(job.domainId, 'd-acme');
    assert.equal(job.credentialId, 'c-acme');
    assert.equal(job.mailFrom, 'news@acme.test');
    assert.deepEqual(job.recipients, [{ address: 'Someone@example.org', target: null }]);
    const raw = messageBytes(job).toString('utf8');
    assert.match(raw, new RegExp(`^Received: from client\\.test \\(\\[127\\.0\\.0\\.1\\]\\)\\r\\n\\tby ${RELAY_HOSTNAME.replace(/\./g, '\\.')}`));
    assert.match(raw, /with ESMTPSA id /);
    assert.match(raw, /\r\n\r\nhello/);
    assert.equal(job.size, Buffer.byteLength(raw));
  });

  it('nodemailer over implicit TLS on the submissions port', async () => {
    const result = await sendMail({
      port: bed.relay.ports.submissions,
      secure: true,
      auth: { user: 'acme-app', pass: PASSWORDS.acme },
      message: { from: 'news@acme.test', to: ['a@example.org', 'b@example.net'], subject: 'hi', text: 'hello' },
    });
    assert.ok(result.ok, result.ok ? '' : result.response);
    const id = /queued as ([0-9A-Z]{26})/.exec(result.info.response)?.[1] as string;
    const job = await jobFor(id);
    assert.deepEqual(job.recipients.map((r) => r.address), ['a@example.org', 'b@example.net']);
  });

  it('swaks with AUTH LOGIN over STARTTLS and AUTH PLAIN over implicit TLS', async () => {
    const before = (await bed.deliveryJobs()).length;
    const common = ['--server', '127.0.0.1', '--from', 'ops@acme.test', '--to', 'x@example.org'];
    const header = ['--header', 'From: ops@acme.test'];
    const starttls = await swaks([...common, ...header, '--port', String(bed.relay.ports.submission), '--tls', '--auth', 'LOGIN', '--auth-user', 'acme-app', '--auth-password', PASSWORDS.acme]);
    assert.equal(starttls.exitCode, 0, starttls.transcript);
    const implicit = await swaks([...common, ...header, '--port', String(bed.relay.ports.submissions), '--tlsc', '--auth', 'PLAIN', '--auth-user', 'acme-app', '--auth-password', PASSWORDS.acme]);
    assert.equal(implicit.exitCode, 0, implicit.transcript);
    assert.equal(lastReplyCode(implicit.transcript), 250);
    assert.equal((await bed.deliveryJobs()).length, before + 2);
  });

  it('records an accepted event per message, keyed by message id, stored before the 250 and valid for the ingest', async () => {
    const result = await sendMail({
      port: bed.relay.ports.submissions,
      secure: true,
      auth: { user: 'acme-app', pass: PASSWORDS.acme },
      // Non-ASCII: nodemailer sends it as an RFC 2047 encoded word, which the log must show decoded.
      message: { from: 'News <news@acme.test>', to: 'c@example.org', subject: 'Grüße zum Versand', text: 'hello' },
    });
    assert.ok(result.ok);
    const id = /queued as ([0-9A-Z]{26})/.exec(result.info.response)?.[1] as string;
    // Stored in the same round trip as the delivery job, before the 250: no waiting.
    const stored = (await bed.events()).find((e) => e.type === 'accepted' && e.messageId === id);
    assert.ok(stored, 'accepted event stored by the time of the 250');
    // The relay no longer re-parses its own event; the API's ingest does, with this schema.
    const event = parseRelayEvent(stored);
    assert.equal(event.tenantId, 't-acme');
    assert.equal(event.credentialId, 'c-acme');
    assert.deepEqual(event.recipients, ['c@example.org']);
    assert.equal(event.subject, 'Grüße zum Versand');
    assert.equal(event.headerFrom, 'News <news@acme.test>');
    assert.match(event.messageIdHeader ?? '', /^<.+@.+>$/);
  });

  it("stamps the tenant's bounce-notice setting on each outbound job, as the policy has it at DATA", async () => {
    const send = async () => {
      const result = await sendMail({
        port: bed.relay.ports.submissions,
        secure: true,
        auth: { user: 'acme-app', pass: PASSWORDS.acme },
        message: { from: 'news@acme.test', to: 'notice@example.org', subject: 'hi', text: 'hello' },
      });
      assert.ok(result.ok, result.ok ? '' : result.response);
      return jobFor(/queued as ([0-9A-Z]{26})/.exec(result.info.response)?.[1] as string);
    };
    const off = await send();
    assert.equal(off.direction === 'outbound' && off.bounceNotice, false);
    await bed.waitForPolicyVersion(bed.api.push(upsertChange('tenant', tenant('t-acme', { bounceNotices: true }))).toVersion);
    const on = await send();
    assert.equal(on.direction === 'outbound' && on.bounceNotice, true);
    await bed.waitForPolicyVersion(bed.api.push(upsertChange('tenant', tenant('t-acme'))).toVersion);
  });

  it('inbound mail for a routed customer address is queued with its route, without AUTH', async () => {
    const result = await sendMail({
      port: bed.relay.ports.inbound,
      message: { from: 'someone@example.org', to: 'Support@acme.test', subject: 'hi', text: 'help' },
    });
    assert.ok(result.ok, result.ok ? '' : result.response);
    const id = /queued as ([0-9A-Z]{26})/.exec(result.info.response)?.[1] as string;
    const job = await jobFor(id);
    assert.equal(job.direction, 'inbound');
    assert.equal(job.credentialId, null);
    assert.deepEqual(job.recipients, [
      { address: 'Support@acme.test', target: { routeId: 'r-acme-support', host: '127.0.0.1', port: 10025, tlsMode: 'opportunistic' } },
    ]);
  });
});
