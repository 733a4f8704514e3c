import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createLogger } from '@smarthost/logger';
import { srsForward } from '@smarthost/relay-policy';
import { rawSmtp, sendMail, startSmtpSink, waitFor, type ReceivedMessage, type SmtpSink } from '@smarthost/testkit';
import { authenticate, dkimSign } from 'mailauth';
import { Resolver } from 'node:dns/promises';
import { join } from 'node:path';
import { startDeliveryWorker, type RunningDeliveryWorker } from '../delivery/start-delivery-worker';
import { workerConfig } from '../delivery/test-support/fixtures';
import { baseSnapshot, domain } from '../test/fixtures';
import { message, RELAY_HOSTNAME, startTestBed, type RelayTestBed } from '../test/test-relay';

const SRS_SECRET = 'inbound-auth-test-srs-secret';
const SRS = { secret: SRS_SECRET, domain: RELAY_HOSTNAME, maxAgeDays: 21 };
const DAY_MS = 86_400_000;

function rsaKey() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    txt: `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`,
  };
}

/** The value of one tag (spf, dkim, dmarc, arc) in our Authentication-Results header. */
function ourResults(raw: Buffer): { headers: string[]; result: (method: string) => string | undefined } {
  const section = raw.toString('latin1').split('\r\n\r\n')[0] ?? '';
  const unfolded = section.replace(/\r\n[ \t]+/g, ' ');
  const headers = unfolded.split('\r\n').filter((line) => /^authentication-results:\s*relay\.smarthost\.test\b/i.test(line));
  return { headers, result: (method) => new RegExp(`\\b${method}=([a-z]+)`).exec(headers[0] ?? '')?.[1] };
}

describe('port 25 authenticates what it routes (SPF, DKIM, DMARC, ARC) and forwards with SRS', () => {
  let bed: RelayTestBed;
  let customer: SmtpSink;
  let senderMx: SmtpSink;
  let worker: RunningDeliveryWorker;
  let keyDir: string;
  const dkim = rsaKey();
  const arc = rsaKey();

  before(async () => {
    customer = await startSmtpSink({ tls: false });
    senderMx = await startSmtpSink({ tls: false });
    const snapshot = baseSnapshot();
    snapshot.domains.push(domain('d-marked', 't-acme', 'marked.test', { inboundEnabled: true, inboundDmarc: 'mark' }));
    snapshot.inboundRoutes = [
      { id: 'r-acme', tenantId: 't-acme', domainId: 'd-acme', pattern: '*', action: 'forward', host: '127.0.0.1', port: customer.port, tlsMode: 'opportunistic' },
      { id: 'r-marked', tenantId: 't-acme', domainId: 'd-marked', pattern: '*', action: 'forward', host: '127.0.0.1', port: customer.port, tlsMode: 'opportunistic' },
    ];
    keyDir = await mkdtemp(join(tmpdir(), 'arc-key-'));
    const keyFile = join(keyDir, 'arc.pem');
    await writeFile(keyFile, arc.pem, { mode: 0o600 });
    bed = await startTestBed({
      snapshot,
      env: { ARC_KEY_FILE: keyFile, ARC_SELECTOR: 'arc1', SRS_SECRET, SRS_DOMAIN: RELAY_HOSTNAME, INBOUND_AUTH_DNS_DEADLINE_MS: '3000' },
    });
    const { dns } = bed;
    dns.set('arc1._domainkey.relay.smarthost.test', 'TXT', [arc.txt]);
    // pass.example: SPF allows loopback, mail is DKIM-signed, DMARC p=reject. Its MX takes returned bounces.
    dns.set('pass.example', 'TXT', ['v=spf1 ip4:127.0.0.1 -all']);
    dns.set('sel._domainkey.pass.example', 'TXT', [dkim.txt]);
    dns.set('_dmarc.pass.example', 'TXT', ['v=DMARC1; p=reject']);
    dns.set('pass.example', 'MX', [{ exchange: 'mx.pass.example', priority: 10 }]);
    dns.set('mx.pass.example', 'A', ['127.0.0.1']);
    // fail.example: SPF refuses every host, DMARC only monitors (p=none): marked, never refused.
    dns.set('fail.example', 'TXT', ['v=spf1 -all']);
    dns.set('sel._domainkey.fail.example', 'TXT', [dkim.txt]);
    dns.set('_dmarc.fail.example', 'TXT', ['v=DMARC1; p=none']);
    // reject.example: a bank's domain spoofers love, SPF -all and p=reject.
    dns.set('reject.example', 'TXT', ['v=spf1 -all']);
    dns.set('_dmarc.reject.example', 'TXT', ['v=DMARC1; p=reject']);
    // slow.example: its name server never answers.
    dns.fail('slow.example', 'timeout');
    dns.fail('_dmarc.slow.example', 'timeout');
    worker = await startDeliveryWorker(
      workerConfig({
        REDIS_URL: bed.redis.url,
        REDIS_PREFIX: bed.redis.prefix,
        API_URL: bed.api.url,
        DNS_SERVERS: dns.server,
        DELIVERY_PORT: String(senderMx.port),
        SRS_SECRET,
        SRS_DOMAIN: RELAY_HOSTNAME,
      }),
      createLogger({ name: 'inbound-auth-worker', level: 'silent' }),
    );
  });

  after(async () => {
    await worker.close();
    await bed.close();
    await Promise.all([customer.close(), senderMx.close(), rm(keyDir, { recursive: true, force: true })]);
  });

  beforeEach(() => {
    customer.clearMessages();
    senderMx.clearMessages();
  });

  const signed = async (raw: string, selector = 'sel', signingDomain = 'pass.example') => {
    // mailauth's typings name the single-signature form, but dkimSign reads signatureData.
    const options = { signatureData: [{ signingDomain, selector, privateKey: dkim.pem }] } as unknown as Parameters<typeof dkimSign>[1];
    const { signatures } = await dkimSign(raw, options);
    assert.match(signatures, /^DKIM-Signature: /);
    return signatures + raw;
  };
  const toPort25 = (from: string, to: string, raw: string) =>
    sendMail({ port: bed.relay.ports.inbound, ignoreTLS: true, timeoutMs: 20_000, message: { envelope: { from, to }, raw } });
  const delivered = (sink: SmtpSink, marker: string): Promise<ReceivedMessage> =>
    waitFor(() => sink.messages.find((m) => m.raw.includes(marker)), { timeoutMs: 20_000, description: `message ${marker} at the sink` });

  it('pass: SPF, DKIM and DMARC pass, and the customer sees it in our Authentication-Results', async () => {
    const raw = await signed(message('alice@pass.example', 'support@acme.test', 'case pass'));
    const sent = await toPort25('alice@pass.example', 'support@acme.test', raw);
    assert.ok(sent.ok, JSON.stringify(sent));
    const results = ourResults((await delivered(customer, 'case pass')).raw);
    assert.equal(results.headers.length, 1);
    assert.deepEqual(['spf', 'dkim', 'dmarc'].map(results.result), ['pass', 'pass', 'pass']);
  });

  it('fail: a forged signature and an SPF -all under p=none are marked fail and delivered', async () => {
    // A signed header changed on the way: the signature no longer verifies (a changed body only gives "neutral").
    const raw = (await signed(message('bob@fail.example', 'support@acme.test', 'case fail altered'), 'sel', 'fail.example')).replace('Subject: test', 'Subject: altered');
    const sent = await toPort25('bob@fail.example', 'support@acme.test', raw);
    assert.ok(sent.ok, JSON.stringify(sent));
    const results = ourResults((await delivered(customer, 'case fail altered')).raw);
    assert.deepEqual(['spf', 'dkim', 'dmarc'].map(results.result), ['fail', 'fail', 'fail']);
  });

  it('none: a domain without SPF, DKIM or DMARC records', async () => {
    const sent = await toPort25('carol@none.example', 'support@acme.test', message('carol@none.example', 'support@acme.test', 'case none'));
    assert.ok(sent.ok, JSON.stringify(sent));
    const results = ourResults((await delivered(customer, 'case none')).raw);
    assert.deepEqual(['spf', 'dkim', 'dmarc'].map(results.result), ['none', 'none', 'none']);
  });

  it('refuses a spoof of a p=reject domain with 550 5.7.1 at end of DATA, and nothing is forwarded', async () => {
    const sent = await toPort25('ceo@reject.example', 'support@acme.test', message('ceo@reject.example', 'support@acme.test', 'case spoof'));
    assert.ok(!sent.ok);
    assert.equal(sent.responseCode, 550);
    assert.match(String(sent.response), /^550 5\.7\.1 .*DMARC/);
    assert.equal(sent.command, 'DATA');
    const events = await waitFor(async () => (await bed.events()).filter((e) => e.code === 'dmarc_reject'), { description: 'the refusal event' });
    assert.equal(events[0]?.tenantId, 't-acme');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(customer.messages.length, 0);
  });

  it('refuses a spoof that adds a second author to escape DMARC (RFC 7489 §6.6.1), in one From: or in two', async () => {
    const oneField = message('ceo@reject.example, friend@none.example', 'support@acme.test', 'case two authors');
    const twoFields = message('ceo@reject.example', 'support@acme.test', 'case two From fields', ['From: friend@none.example']);
    for (const raw of [oneField, twoFields]) {
      const sent = await toPort25('friend@none.example', 'support@acme.test', raw);
      assert.ok(!sent.ok);
      assert.match(String(sent.response), /^550 5\.7\.1 .*DMARC/);
    }
  });

  it('marks a second-author spoof dmarc=fail for a customer domain set to mark only', async () => {
    const raw = message('ceo@reject.example, friend@none.example', 'support@marked.test', 'case two authors marked');
    assert.ok((await toPort25('friend@none.example', 'support@marked.test', raw)).ok);
    const results = ourResults((await delivered(customer, 'case two authors marked')).raw);
    assert.equal(results.result('dmarc'), 'fail');
    assert.match(results.headers[0] ?? '', /p=REJECT\) header\.from=reject\.example/);
  });

  it('accepts the same spoof, marked dmarc=fail, for a customer domain set to mark only', async () => {
    const sent = await toPort25('ceo@reject.example', 'support@marked.test', message('ceo@reject.example', 'support@marked.test', 'case marked'));
    assert.ok(sent.ok, JSON.stringify(sent));
    const results = ourResults((await delivered(customer, 'case marked')).raw);
    assert.deepEqual(['spf', 'dmarc'].map(results.result), ['fail', 'fail']);
    assert.match(results.headers[0] ?? '', /p=REJECT/);
  });

  it('refuses the spoof when it is for a marking and an enforcing domain at once (one reply answers for both)', async () => {
    const raw = message('ceo@reject.example', 'support@marked.test', 'case mixed');
    const sent = await sendMail({
      port: bed.relay.ports.inbound,
      ignoreTLS: true,
      timeoutMs: 20_000,
      message: { envelope: { from: 'ceo@reject.example', to: ['support@marked.test', 'support@acme.test'] }, raw },
    });
    assert.ok(!sent.ok);
    assert.match(String(sent.response), /^550 5\.7\.1 .*DMARC/);
  });

  it('removes a forged Authentication-Results that claims our authserv-id and keeps another server\'s', async () => {
    const forged = message('carol@none.example', 'support@acme.test', 'case forged', [
      'Authentication-Results: relay.smarthost.test; spf=pass; dkim=pass header.d=bank.example; dmarc=pass',
      'Authentication-Results: mx.elsewhere.example; spf=neutral',
    ]);
    const sent = await toPort25('carol@none.example', 'support@acme.test', forged);
    assert.ok(sent.ok, JSON.stringify(sent));
    const received = await delivered(customer, 'case forged');
    const results = ourResults(received.raw);
    assert.equal(results.headers.length, 1, 'only ours');
    assert.deepEqual(['spf', 'dkim', 'dmarc'].map(results.result), ['none', 'none', 'none']);
    assert.ok(!received.raw.includes('bank.example'));
    assert.ok(received.raw.includes('Authentication-Results: mx.elsewhere.example; spf=neutral'));
  });

  it('gives temperror, never a 5xx, when the sender domain\'s name server does not answer', async () => {
    const started = Date.now();
    const sent = await toPort25('dave@slow.example', 'support@acme.test', message('dave@slow.example', 'support@acme.test', 'case slow'));
    assert.ok(sent.ok, JSON.stringify(sent));
    assert.ok(Date.now() - started < 15_000, 'the DNS deadline ended the checks');
    const results = ourResults((await delivered(customer, 'case slow')).raw);
    assert.equal(results.result('spf'), 'temperror');
  });

  it('refuses a message with more signatures than it will verify (each costs DNS, RSA and a pass over the body)', async () => {
    const signatures = Array.from({ length: 11 }, (_, i) => `DKIM-Signature: v=1; a=rsa-sha256; d=pass.example; s=s${i}; l=${i}; h=from; bh=x; b=y`);
    const raw = message('alice@pass.example', 'support@acme.test', 'case signatures', signatures);
    const sent = await toPort25('alice@pass.example', 'support@acme.test', raw);
    assert.ok(!sent.ok);
    assert.match(String(sent.response), /^550 5\.7\.1 Too many DKIM signatures/);
  });

  it('forwards with an SRS envelope sender under our domain and an ARC set that verifies', async () => {
    const raw = await signed(message('Alice@pass.example', 'support@acme.test', 'case arc'));
    assert.ok((await toPort25('Alice@pass.example', 'support@acme.test', raw)).ok);
    const received = await delivered(customer, 'case arc');
    assert.match(received.envelope.mailFrom, /^SRS0=[a-z2-7]{8}=[a-z2-7]{2}=pass\.example=Alice@relay\.smarthost\.test$/);
    assert.deepEqual(received.envelope.rcptTo, ['support@acme.test']);
    for (const name of ['ARC-Seal: i=1;', 'ARC-Message-Signature: i=1;', 'ARC-Authentication-Results: i=1; relay.smarthost.test']) {
      assert.ok(received.raw.includes(name), name);
    }
    // The customer's server: checks the chain with the relay's public key from DNS.
    const resolver = new Resolver();
    resolver.setServers([bed.dns.server]);
    const checked = await authenticate(received.raw, {
      ip: '127.0.0.1',
      helo: 'worker.smarthost.test',
      sender: received.envelope.mailFrom,
      mta: 'mx.customer.test',
      resolver: (name: string, rrtype: string) => resolver.resolve(name, rrtype) as Promise<string[][]>,
      disableBimi: true,
    });
    assert.ok(checked.arc !== false);
    assert.equal(checked.arc.status.result, 'pass');
    assert.equal(checked.dkim.results[0]?.status.result, 'pass', 'the original signature survives forwarding');
  });

  it('returns a bounce to the SRS address to the original sender with the null sender', async () => {
    const raw = await signed(message('alice@pass.example', 'support@acme.test', 'case bounce original'));
    assert.ok((await toPort25('alice@pass.example', 'support@acme.test', raw)).ok);
    const srs = (await delivered(customer, 'case bounce original')).envelope.mailFrom;
    const bounce = message('MAILER-DAEMON@mx.customer.test', srs, 'case bounce: your message could not be delivered');
    const sent = await toPort25('', srs, bounce);
    assert.ok(sent.ok, JSON.stringify(sent));
    const returned = await delivered(senderMx, 'case bounce: your message');
    assert.deepEqual(returned.envelope, { mailFrom: '', rcptTo: ['alice@pass.example'] });
  });

  it('refuses a tampered or expired SRS address at RCPT, and an SRS address from a non-null sender', async () => {
    const valid = srsForward(SRS, 'alice@pass.example');
    const tampered = valid.replace('=pass.example=', '=victim.example=');
    const expired = srsForward(SRS, 'alice@pass.example', Date.now() - 30 * DAY_MS);
    const client = await rawSmtp('127.0.0.1', bed.relay.ports.inbound, { timeoutMs: 20_000 });
    try {
      await client.read();
      await client.command('EHLO attacker.example');
      const replies: string[] = [];
      for (const [from, to] of [['', tampered], ['', expired], ['someone@else.example', valid]] as const) {
        await client.command(`MAIL FROM:<${from}>`);
        replies.push((await client.command(`RCPT TO:<${to}>`)).raw);
        await client.command('RSET');
      }
      assert.match(replies[0] ?? '', /^550 5\.1\.1 Invalid or expired SRS/);
      assert.match(replies[1] ?? '', /^550 5\.1\.1 Invalid or expired SRS.*expired/);
      assert.match(replies[2] ?? '', /^550 5\.7\.1 SRS return address accepts only bounces/);
    } finally {
      await client.close();
    }
  });
});
