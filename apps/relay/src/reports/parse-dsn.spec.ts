import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_DSN_BYTES, parseDsn } from './parse-dsn';

/** Fixtures are written with LF for readability; mail on the wire has CRLF line ends. */
function mail(text: string): Buffer {
  return Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'utf8');
}

/** A minimal RFC 6522 report around a delivery-status body, for cases where only the fields matter. */
function report(deliveryStatus: string, partType = 'message/delivery-status'): Buffer {
  return mail(`From: MAILER-DAEMON@mx.example.net
To: bounce+01jnv7w3q2k8d9m4x6r5t0y1zb@bounces.example.com
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="rpt"

--rpt
Content-Type: text/plain; charset=us-ascii

Your message could not be delivered.

--rpt
Content-Type: ${partType}

${deliveryStatus}
--rpt--
`);
}

// Postfix bounce(8): explanation, report, headers of the returned message (bounce_size_limit keeps the body out).
const POSTFIX = mail(`Return-Path: <>
Date: Tue,  4 Mar 2025 10:15:02 +0000 (UTC)
From: MAILER-DAEMON@mx1.example.net (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: bounce+01jnv7w3q2k8d9m4x6r5t0y1zb@bounces.example.com
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="4Z6kQn0cYpz9v.1741083302/mx1.example.net"
Content-Transfer-Encoding: 7bit
Message-Id: <20250304101502.4Z6kQn0cYpz9v@mx1.example.net>

This is a MIME-encapsulated message.

--4Z6kQn0cYpz9v.1741083302/mx1.example.net
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx1.example.net.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<nobody@example.net>: host store.example.net[192.0.2.25] said: 550 5.1.1
    <nobody@example.net>: Recipient address rejected: User unknown in local
    recipient table (in reply to RCPT TO command)

--4Z6kQn0cYpz9v.1741083302/mx1.example.net
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx1.example.net
X-Postfix-Queue-ID: 4Z6kQn0cYpz9v
X-Postfix-Sender: rfc822; bounce+01jnv7w3q2k8d9m4x6r5t0y1zb@bounces.example.com
Arrival-Date: Tue,  4 Mar 2025 10:15:01 +0000 (UTC)

Final-Recipient: rfc822; nobody@example.net
Original-Recipient: rfc822;nobody@example.net
Action: failed
Status: 5.1.1
Remote-MTA: dns; store.example.net
Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.net>: Recipient address
    rejected: User unknown in local recipient table

--4Z6kQn0cYpz9v.1741083302/mx1.example.net
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

Return-Path: <bounce+01jnv7w3q2k8d9m4x6r5t0y1zb@bounces.example.com>
From: Shop <orders@example.com>
To: nobody@example.net
Subject: Your order
Message-ID: <01JNV7W3Q2K8D9M4X6R5T0Y1ZB@example.com>

--4Z6kQn0cYpz9v.1741083302/mx1.example.net--
`);

// Gmail-style: the explanation is a multipart/alternative, the reply text is folded with its repeated 550-5.1.1
// prefixes, and one report covers a recipient that failed and one that is still being retried.
const GMAIL = mail(`Date: Tue, 04 Mar 2025 02:15:03 -0800 (PST)
From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
To: bounce+01jnv7w3q2k8d9m4x6r5t0y1zb@bounces.example.com
Subject: Delivery Status Notification (Failure)
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; boundary="000000000000a1b2c3"; report-type=delivery-status

--000000000000a1b2c3
Content-Type: multipart/alternative; boundary="000000000000d4e5f6"

--000000000000d4e5f6
Content-Type: text/plain; charset="UTF-8"

Address not found: your message wasn't delivered to Gone.User@Example.ORG.

--000000000000d4e5f6
Content-Type: text/html; charset="UTF-8"

<p>Address not found</p>

--000000000000d4e5f6--

--000000000000a1b2c3
Content-Type: message/delivery-status

Reporting-MTA: dns; googlemail.com
Arrival-Date: Tue, 04 Mar 2025 02:15:01 -0800 (PST)

Final-Recipient: rfc822; Gone.User@Example.ORG
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.example.org
Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does
 not exist. Please try 550-5.1.1 double-checking the recipient's email address
 for typos or 550-5.1.1 unnecessary spaces.
Last-Attempt-Date: Tue, 04 Mar 2025 02:15:03 -0800 (PST)

Final-Recipient: rfc822; slow@example.org
Action: delayed
Status: 4.4.1
Remote-MTA: dns; mx.example.org
Diagnostic-Code: smtp; 421 4.4.1 Connection timed out
Will-Retry-Until: Sat, 08 Mar 2025 02:15:01 -0800 (PST)

--000000000000a1b2c3
Content-Type: text/rfc822-headers

From: Shop <orders@example.com>
To: Gone.User@Example.ORG, slow@example.org
Subject: Your order

--000000000000a1b2c3--
`);

describe('parseDsn', () => {
  it('reads the failed recipient of a Postfix bounce, unfolding its diagnostic', async () => {
    assert.deepEqual(await parseDsn(POSTFIX), [
      {
        recipient: 'nobody@example.net',
        status: '5.1.1',
        diagnostic: '550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown in local recipient table',
        remoteMta: 'store.example.net',
        smtpCode: 550,
      },
    ]);
  });

  it('returns only the failed recipient of a report that also lists a delayed one, lower-cased', async () => {
    assert.deepEqual(await parseDsn(GMAIL), [
      {
        recipient: 'gone.user@example.org',
        status: '5.1.1',
        diagnostic:
          '550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the ' +
          "recipient's email address for typos or 550-5.1.1 unnecessary spaces.",
        remoteMta: 'mx.example.org',
        smtpCode: 550,
      },
    ]);
  });

  it('uses Original-Recipient when Final-Recipient is missing, whatever the case of the field names', async () => {
    const dsn = report(`reporting-mta: dns; mx.example.net

original-recipient: RFC822; <Someone@Example.NET>
ACTION: Failed
status: 5.2.1
diagnostic-code: smtp; 550 5.2.1 Mailbox disabled
`);
    assert.deepEqual(await parseDsn(dsn), [
      { recipient: 'someone@example.net', status: '5.2.1', diagnostic: '550 5.2.1 Mailbox disabled', remoteMta: null, smtpCode: 550 },
    ]);
  });

  it('returns a 5.7.1 policy rejection: the status tells the caller it is not about the mailbox', async () => {
    const dsn = report(`Reporting-MTA: dns; mx2.example.net

Final-Recipient: rfc822; buyer@example.net
Action: failed
Status: 5.7.1
Remote-MTA: dns; mail.protection.example.net
Diagnostic-Code: smtp; 550 5.7.1 Service unavailable, Client host [198.51.100.7]
  blocked using Spamhaus
`);
    assert.deepEqual(await parseDsn(dsn), [
      {
        recipient: 'buyer@example.net',
        status: '5.7.1',
        diagnostic: '550 5.7.1 Service unavailable, Client host [198.51.100.7] blocked using Spamhaus',
        remoteMta: 'mail.protection.example.net',
        smtpCode: 550,
      },
    ]);
  });

  it('gives null for a diagnostic that is not an SMTP reply and for missing optional fields', async () => {
    const dsn = report(`Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; nobody@nowhere.example
Action: failed
Status: 5.4.4
Diagnostic-Code: X-Postfix; Host or domain name not found. Name service error
    for name=nowhere.example type=MX: Host not found
`);
    assert.deepEqual(await parseDsn(dsn), [
      {
        recipient: 'nobody@nowhere.example',
        status: '5.4.4',
        diagnostic: 'Host or domain name not found. Name service error for name=nowhere.example type=MX: Host not found',
        remoteMta: null,
        smtpCode: null,
      },
    ]);
  });

  it('leaves out a failed action with a 4.x.x status: an expired message says nothing permanent about the address', async () => {
    const dsn = report(`Reporting-MTA: dns; mx1.example.net

Final-Recipient: rfc822; busy@example.net
Action: failed
Status: 4.4.7
Diagnostic-Code: X-Postfix; delivery temporarily suspended: connect to
    mx.example.net[192.0.2.30]:25: Connection timed out
`);
    assert.deepEqual(await parseDsn(dsn), []);
  });

  it('leaves out delivered, relayed and expanded recipients', async () => {
    const dsn = report(`Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; a@example.net
Action: delivered
Status: 2.0.0

Final-Recipient: rfc822; b@example.net
Action: relayed
Status: 2.0.0

Final-Recipient: rfc822; c@example.net
Action: expanded
Status: 2.0.0
`);
    assert.deepEqual(await parseDsn(dsn), []);
  });

  it('leaves out recipients whose address type is not rfc822 or that are not addresses', async () => {
    const dsn = report(`Reporting-MTA: dns; mx.example.net

Final-Recipient: x400; G=gone;S=user;O=example;C=us
Action: failed
Status: 5.1.1

Final-Recipient: rfc822; not an address
Action: failed
Status: 5.1.1
`);
    assert.deepEqual(await parseDsn(dsn), []);
  });

  it('reads an RFC 6533 global report in UTF-8, keying an internationalised domain by its A-label', async () => {
    const dsn = report(
      `Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; kunde@bücher.example
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 Empfänger unbekannt
`,
      'message/global-delivery-status',
    );
    assert.deepEqual(await parseDsn(dsn), [
      { recipient: 'kunde@xn--bcher-kva.example', status: '5.1.1', diagnostic: '550 5.1.1 Empfänger unbekannt', remoteMta: null, smtpCode: 550 },
    ]);
  });

  it('ignores a report quoted inside a returned message: only the top-level report speaks for this delivery', async () => {
    // An inline message/rfc822 is opened by mailparser, so the quoted report surfaces as part 2.1.
    const dsn = mail(`From: MAILER-DAEMON@mx.example.net
To: bounce+01jnv7w3q2k8d9m4x6r5t0y1zb@bounces.example.com
Subject: Returned mail
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="outer"

--outer
Content-Type: text/plain

Your message is returned below.

--outer
Content-Type: message/rfc822
Content-Disposition: inline

From: someone@example.org
Subject: fwd: a bounce
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="inner"

--inner
Content-Type: message/delivery-status

Reporting-MTA: dns; elsewhere.example

Final-Recipient: rfc822; victim@example.net
Action: failed
Status: 5.1.1

--inner--

--outer--
`);
    assert.deepEqual(await parseDsn(dsn), []);
  });

  it('returns nothing for messages that are not delivery reports', async () => {
    const plain = mail(`From: MAILER-DAEMON@old.example.net
To: bounce+01jnv7w3q2k8d9m4x6r5t0y1zb@bounces.example.com
Subject: Undelivered mail
Content-Type: text/plain

Undelivered mail to nobody@example.net:
550 5.1.1 User unknown
`);
    // A read receipt (RFC 8098) is a multipart/report too, of another report type.
    const mdn = mail(`From: reader@example.net
To: bounce+01jnv7w3q2k8d9m4x6r5t0y1zb@bounces.example.com
Subject: Read: Your order
MIME-Version: 1.0
Content-Type: multipart/report; report-type=disposition-notification; boundary="mdn"

--mdn
Content-Type: message/disposition-notification

Reporting-UA: reader.example.net
Final-Recipient: rfc822; reader@example.net
Action: failed
Status: 5.1.1
Disposition: manual-action/MDN-sent-manually; displayed

--mdn--
`);
    assert.deepEqual(await parseDsn(plain), []);
    assert.deepEqual(await parseDsn(mdn), []);
  });

  it('returns nothing for garbage bytes, an empty message or a truncated report, without throwing', async () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    const truncated = POSTFIX.subarray(0, POSTFIX.indexOf('Final-Recipient'));
    assert.deepEqual(await parseDsn(garbage), []);
    assert.deepEqual(await parseDsn(Buffer.alloc(0)), []);
    assert.deepEqual(await parseDsn(truncated), []);
  });

  it('returns nothing for a report larger than any report needs to be', async () => {
    const padded = Buffer.concat([POSTFIX, Buffer.alloc(MAX_DSN_BYTES, 'a')]);
    assert.deepEqual(await parseDsn(padded), []);
  });
});
