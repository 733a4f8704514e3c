import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { upsertChange } from '@smarthost/relay-policy';
import { sendMail, swaks, waitFor, type SendMailResult } from '@smarthost/testkit';
import { credential, PASSWORDS, tenant, baseSnapshot } from '../test/fixtures';
import { startTestBed, type RelayTestBed } from '../test/test-relay';

function refused(result: SendMailResult): string {
  assert.equal(result.ok, false, 'the relay should have refused');
  return result.ok ? '' : (result.response ?? String(result.error));
}

describe('submission refusals carry the right SMTP reply', () => {
  let bed: RelayTestBed;
  const snapshot = baseSnapshot({
    tenants: [
      tenant('t-acme', {}, { maxMessageBytes: 20_000 }),
      tenant('t-globex'),
      tenant('t-small', {}, { messagesPerDay: 2 }),
      tenant('t-suspended', { status: 'suspended', statusReason: 'unpaid invoice' }),
      tenant('t-paused', { status: 'paused', statusReason: 'bounce rate review' }),
    ],
  });
  snapshot.domains.push(
    { id: 'd-small', tenantId: 't-small', name: 'small.test', verified: true, inboundEnabled: false, inboundDmarc: 'enforce' },
    { id: 'd-susp', tenantId: 't-suspended', name: 'suspended.test', verified: true, inboundEnabled: false, inboundDmarc: 'enforce' },
    { id: 'd-paused', tenantId: 't-paused', name: 'paused.test', verified: true, inboundEnabled: false, inboundDmarc: 'enforce' },
  );
  snapshot.credentials.push(
    credential('c-small', 't-small', 'small-app', PASSWORDS.acme),
    credential('c-susp', 't-suspended', 'susp-app', PASSWORDS.acme),
    credential('c-paused', 't-paused', 'paused-app', PASSWORDS.acme),
  );

  before(async () => {
    bed = await startTestBed({ snapshot });
  });
  after(() => bed.close());

  const submit = (user: string, from: string, to: string | string[], extra: { text?: string; headerFrom?: string; pass?: string } = {}) =>
    sendMail({
      port: bed.relay.ports.submissions,
      secure: true,
      auth: { user, pass: extra.pass ?? (user === 'globex-app' ? PASSWORDS.globex : user === 'acme-narrow' ? PASSWORDS.acmeNarrow : PASSWORDS.acme) },
      message: { from: extra.headerFrom ?? from, envelope: { from, to }, to, subject: 's', text: extra.text ?? 'hello' },
    });

  it('wrong password: 535 5.7.8', async () => {
    const response = refused(await submit('acme-app', 'a@acme.test', 'x@example.org', { pass: 'wrong-password' }));
    assert.match(response, /^535 5\.7\.8 /);
  });

  it('unknown user: the same 535 5.7.8 (no username probing)', async () => {
    const response = refused(await submit('nobody', 'a@acme.test', 'x@example.org'));
    assert.match(response, /^535 5\.7\.8 Authentication credentials invalid/);
  });

  it('a credential disabled by a delta is refused at once', async () => {
    const ok = await submit('globex-app', 'a@globex.test', 'x@example.org');
    assert.ok(ok.ok);
    const delta = bed.api.push(upsertChange('credential', credential('c-globex', 't-globex', 'globex-app', PASSWORDS.globex, { status: 'disabled' })));
    await bed.waitForPolicyVersion(delta.toVersion);
    assert.match(refused(await submit('globex-app', 'a@globex.test', 'x@example.org')), /^535 5\.7\.8 /);
  });

  it('foreign sender domain: 553 5.7.1', async () => {
    assert.match(refused(await submit('acme-app', 'ceo@globex.test', 'x@example.org')), /^553 5\.7\.1 Sender address not owned/);
  });

  it('unverified domain of the same tenant: 553 5.7.1', async () => {
    assert.match(refused(await submit('acme-app', 'a@unverified.acme.test', 'x@example.org')), /^553 5\.7\.1 /);
  });

  it('sender outside the credential scope: 553 5.7.1', async () => {
    assert.match(refused(await submit('acme-narrow', 'news@acme.test', 'x@example.org')), /^553 5\.7\.1 /);
    assert.ok((await submit('acme-narrow', 'billing@acme.test', 'x@example.org')).ok);
  });

  it('suppressed recipient: 550 5.1.1', async () => {
    assert.match(refused(await submit('acme-app', 'a@acme.test', 'Bounced@Example.org')), /^550 5\.1\.1 /);
  });

  it('suspended tenant: 550 5.7.1 with the reason; paused: 451 4.7.1 with the reason', async () => {
    assert.match(refused(await submit('susp-app', 'a@suspended.test', 'x@example.org')), /^550 5\.7\.1 Account suspended: unpaid invoice/);
    assert.match(refused(await submit('paused-app', 'a@paused.test', 'x@example.org')), /^451 4\.7\.1 .*: bounce rate review/);
  });

  it('daily quota: recipients beyond it get 452 4.5.3', async () => {
    assert.ok((await submit('small-app', 'a@small.test', 'x@example.org')).ok);
    assert.ok((await submit('small-app', 'a@small.test', 'y@example.org')).ok);
    assert.match(refused(await submit('small-app', 'a@small.test', 'z@example.org')), /^452 4\.5\.3 Daily recipient quota exhausted/);
  });

  it('oversized message: 552 5.3.4, read to the end and not queued', async () => {
    const before = (await bed.deliveryJobs()).length;
    const text = 'x'.repeat(76).concat('\r\n').repeat(1000);
    assert.match(refused(await submit('acme-app', 'a@acme.test', 'x@example.org', { text })), /^552 5\.3\.4 /);
    assert.equal((await bed.deliveryJobs()).length, before);
  });

  it('From: header not aligned with the envelope sender: 550 5.7.1', async () => {
    const response = refused(await submit('acme-app', 'a@acme.test', 'x@example.org', { headerFrom: 'ceo@globex.test' }));
    assert.match(response, /^550 5\.7\.1 From header does not align/);
  });

  it('every refusal becomes a rejected event with its code', async () => {
    const codes = await waitFor(async () => {
      const found = new Set((await bed.events()).filter((e) => e.type === 'rejected').map((e) => e.code));
      return ['sender_not_owned', 'suppressed', 'quota_daily_exhausted', 'message_too_large', 'from_misaligned', 'tenant_suspended'].every((c) => found.has(c)) && found;
    });
    assert.ok(codes.has('tenant_paused'));
    const foreignSender = (await bed.events()).find((e) => e.type === 'rejected' && e.code === 'sender_not_owned');
    assert.ok(foreignSender?.tenantId, "a refusal at MAIL FROM is counted for the credential's tenant");
  });

  it('swaks sees the same refusal (foreign sender, exit code 23 = MAIL refused)', async () => {
    const result = await swaks(['--server', '127.0.0.1', '--port', String(bed.relay.ports.submission), '--tls', '--auth', 'PLAIN', '--auth-user', 'acme-app', '--auth-password', PASSWORDS.acme, '--from', 'x@globex.test', '--to', 'y@example.org']);
    assert.equal(result.exitCode, 23, result.transcript);
    assert.match(result.transcript, /553 5\.7\.1/);
  });
});
