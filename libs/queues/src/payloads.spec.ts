import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deliveryJobId, eventDirection, messageBytes, parseDeliveryJob } from './delivery-job';
import { eventId, MAX_EVENTS_PER_JOB, parseEventJob, parseRelayEvent } from './event-job';
import { newMessageId } from './message-id';

const outbound = () => ({
  messageId: newMessageId(),
  direction: 'outbound' as const,
  tenantId: 't1',
  domainId: 'd1',
  credentialId: 'c1',
  mailFrom: 'a@example.com',
  recipients: [{ address: 'b@example.org', target: null }],
  raw: 'From: a@example.com\r\n\r\nhi\r\n',
  size: 27,
  receivedAt: new Date().toISOString(),
  relayNode: 'relay-1',
  clientIp: '192.0.2.1',
});

/** A refusal event as a relay emits it (the delivery-only fields left out). */
const rejected = (session: string) => ({
  eventId: eventId('rejected', 'n', session, 1),
  type: 'rejected',
  tenantId: null,
  domainId: null,
  credentialId: null,
  messageId: null,
  direction: 'inbound',
  code: 'relay_denied',
  smtpCode: 554,
  phase: 'rcpt',
  mailFrom: null,
  recipients: [],
  size: null,
  clientIp: '192.0.2.9',
  node: 'relay-1',
  occurredAt: new Date().toISOString(),
  detail: null,
});

describe('queue payloads', () => {
  it('a delivery job is keyed by its message id', () => {
    const job = parseDeliveryJob(outbound());
    assert.equal(deliveryJobId(job), job.messageId);
  });

  it('the message travels as one character per byte: every byte value and CR LF come back unchanged', () => {
    const bytes = Buffer.concat([Buffer.from('Subject: caf\u00e9\r\n\r\n'), Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from('\r\n')]);
    const queued = JSON.parse(JSON.stringify({ ...outbound(), raw: bytes.toString('latin1'), size: bytes.length })) as unknown;
    assert.deepEqual(messageBytes(parseDeliveryJob(queued)), bytes);
  });

  it('reads a job queued by a relay of the previous release, which sent the message as rawBase64', () => {
    const { raw, ...rest } = outbound();
    const job = parseDeliveryJob({ ...rest, rawBase64: Buffer.from(raw, 'latin1').toString('base64') });
    assert.equal(job.raw, raw);
    assert.equal('rawBase64' in job, false);
    assert.throws(() => parseDeliveryJob(rest), /raw/, 'no message at all is refused');
  });

  it('reads the route TLS of an inbound job queued before TLS modes: requireTls true as verified, false as opportunistic', () => {
    const inbound = (target: Record<string, unknown>) => ({
      ...outbound(),
      direction: 'inbound' as const,
      credentialId: null,
      recipients: [{ address: 'support@example.com', target: { routeId: 'r1', host: 'mx.example.com', port: 25, ...target } }],
    });
    const tlsOf = (target: Record<string, unknown>) => parseDeliveryJob(inbound(target)).recipients[0]?.target;
    assert.deepEqual(tlsOf({ requireTls: true }), { routeId: 'r1', host: 'mx.example.com', port: 25, tlsMode: 'require_verified' });
    assert.equal(tlsOf({ requireTls: false })?.tlsMode, 'opportunistic');
    assert.equal(tlsOf({ tlsMode: 'require_unverified' })?.tlsMode, 'require_unverified');
    assert.throws(() => tlsOf({ tlsMode: 'verify' }), /tlsMode/);
    assert.throws(() => tlsOf({}), /tlsMode/);
  });

  it('refuses an outbound job without a credential and a job without recipients', () => {
    assert.throws(() => parseDeliveryJob({ ...outbound(), credentialId: null }));
    assert.throws(() => parseDeliveryJob({ ...outbound(), recipients: [] }));
  });

  it('an outbound job carries the bounce-notice setting (absent when a previous release queued it)', () => {
    const job = (input: object) => parseDeliveryJob(input) as { bounceNotice?: boolean };
    assert.equal(job({ ...outbound(), bounceNotice: true }).bounceNotice, true);
    assert.equal(job(outbound()).bounceNotice, undefined);
    assert.throws(() => parseDeliveryJob({ ...outbound(), bounceNotice: 'yes' }), /bounceNotice/);
  });

  it('an outbound job with the null sender (a bounce notice) can never ask for another notice', () => {
    assert.equal(parseDeliveryJob({ ...outbound(), mailFrom: '' }).mailFrom, '');
    assert.throws(() => parseDeliveryJob({ ...outbound(), mailFrom: '', bounceNotice: true }), /must not ask for a bounce notice/);
  });

  it('a returned bounce (to an SRS address) has the null sender and belongs to no tenant', () => {
    const returned = { ...outbound(), direction: 'returned', tenantId: null, domainId: null, credentialId: null, mailFrom: '' };
    assert.equal(parseDeliveryJob(returned).direction, 'returned');
    assert.equal(eventDirection('returned'), 'inbound');
    assert.throws(() => parseDeliveryJob({ ...returned, mailFrom: 'someone@example.org' }), /mailFrom/);
    assert.throws(() => parseDeliveryJob({ ...returned, tenantId: 't1' }), /tenantId/);
  });

  it('event ids are deterministic per occurrence', () => {
    assert.equal(eventId('accepted', 'm1'), eventId('accepted', 'm1'));
    assert.notEqual(eventId('accepted', 'm1'), eventId('rejected', 'm1'));
    assert.notEqual(eventId('rejected', 'n', 's', 1), eventId('rejected', 'n', 's', 2));
    const event = parseRelayEvent({ ...rejected('s'), mailFrom: 'x@example.net', recipients: ['victim@example.org'] });
    assert.equal(event.code, 'relay_denied');
  });

  describe('events jobs', () => {
    it('reads a batch as its events, defaults applied, and a bare event (an older node) as one', () => {
      const { events, invalid } = parseEventJob({ events: [rejected('s1'), rejected('s2')] });
      assert.deepEqual(invalid, []);
      assert.deepEqual(events.map((event) => [event.eventId, event.attempt]), [
        [eventId('rejected', 'n', 's1', 1), null],
        [eventId('rejected', 'n', 's2', 1), null],
      ]);
      assert.deepEqual(parseEventJob(rejected('s3')).events.map((event) => event.eventId), [eventId('rejected', 'n', 's3', 1)]);
    });

    it('refuses an empty or oversized batch, and a bare event that does not parse', () => {
      assert.throws(() => parseEventJob({ events: [] }), /events/);
      assert.throws(() => parseEventJob({ events: Array.from({ length: MAX_EVENTS_PER_JOB + 1 }, (_, i) => rejected(`s${i}`)) }), /events/);
      assert.throws(() => parseEventJob({ ...rejected('s1'), smtpCode: 999 }), /smtpCode/);
    });

    it('leaves out a bad event of a batch, saying where and why, and keeps the others', () => {
      const { events, invalid } = parseEventJob({ events: [rejected('s1'), { ...rejected('s2'), smtpCode: 999 }, rejected('s3')] });
      assert.deepEqual(events.map((event) => event.eventId), [eventId('rejected', 'n', 's1', 1), eventId('rejected', 'n', 's3', 1)]);
      assert.equal(invalid.length, 1);
      assert.match(invalid[0] ?? '', /^events\.1\.smtpCode: /);
    });
  });
});
