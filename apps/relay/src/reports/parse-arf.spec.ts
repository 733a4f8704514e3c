import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_ARF_BYTES, parseArf } from './parse-arf';

/** Fixtures are written with LF for readability; mail on the wire has CRLF line ends. */
function mail(text: string): Buffer {
  return Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'utf8');
}

const RETURN_PATH = 'bounce+01jnv7w3q2k8d9m4x6r5t0y1zb@bounces.example.com';

/** A minimal RFC 5965 report around a feedback-report body and an original, for cases where only the fields matter. */
function report(feedback: string, original: string, originalType = 'message/rfc822'): Buffer {
  return mail(`From: fbl@isp.example
To: complaints@example.com
Subject: Abuse report
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="arf"

--arf
Content-Type: text/plain

This is an email abuse report.

--arf
Content-Type: message/feedback-report

${feedback}
--arf
Content-Type: ${originalType}

${original}
--arf--
`);
}

// The shape of RFC 5965 Appendix B as Yahoo sends it: no Original-Rcpt-To, the whole original message returned.
const YAHOO = mail(`From: feedback@arf.mail.yahoo.com
Date: Wed, 05 Mar 2025 09:12:44 +0000
Subject: FW: Your order has shipped
To: complaints@example.com
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report;
\tboundary="----=_Part_1207_88443.1741165964"

------=_Part_1207_88443.1741165964
Content-Type: text/plain; charset=us-ascii
Content-Transfer-Encoding: 7bit

This is an email abuse report for an email message received from IP 198.51.100.7 on
Wed, 05 Mar 2025 09:02:11 +0000. For more information about this format please see
http://www.mipassoc.org/arf/.

------=_Part_1207_88443.1741165964
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: Yahoo!-Mail-Feedback/2.0
Version: 0.1
Original-Mail-From: <${RETURN_PATH}>
Arrival-Date: Wed, 05 Mar 2025 09:02:11 +0000
Source-IP: 198.51.100.7
Authentication-Results: mta1005.mail.gq1.yahoo.com;
 dkim=pass header.i=@example.com header.s=s1;
 spf=pass smtp.mailfrom=bounces.example.com
Reported-Domain: example.com

------=_Part_1207_88443.1741165964
Content-Type: message/rfc822
Content-Disposition: inline

Return-Path: <${RETURN_PATH}>
Received: from relay1.smarthost.example (EHLO relay1.smarthost.example) (198.51.100.7)
  by mta1005.mail.gq1.yahoo.com with SMTPS; Wed, 05 Mar 2025 09:02:11 +0000
From: Shop <orders@example.com>
To: "Jane Buyer" <Jane.Buyer@Yahoo.com>
Subject: Your order has shipped
Message-ID: <01JNV7W3Q2K8D9M4X6R5T0Y1ZB@example.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Your order has shipped.

------=_Part_1207_88443.1741165964--
`);

// Microsoft JMRP-like: headers only (text/rfc822-headers), the date under its older name, a folded To: header and a
// Return-Path written without angle brackets.
const JMRP = mail(`From: staff@hotmail.com
To: complaints@example.com
Subject: complaint about message from 198.51.100.7
Date: Wed, 05 Mar 2025 10:20:40 -0800
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="jmrp_5f1c0e"

--jmrp_5f1c0e
Content-Type: text/plain; charset="US-ASCII"

This is an email abuse report for an email message with the message-id of
01JNV7W3Q2K8D9M4X6R5T0Y1ZB@example.com received from IP address 198.51.100.7.

--jmrp_5f1c0e
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: Microsoft JMRP
Version: 1.0
Original-Mail-From: <${RETURN_PATH}>
Received-Date: Wed, 05 Mar 2025 10:20:31 -0800
Source-IP: 198.51.100.7

--jmrp_5f1c0e
Content-Type: text/rfc822-headers

X-HmXmrOriginalRecipient: <kim.lee@outlook.com>
Return-Path: ${RETURN_PATH}
Received: from relay1.smarthost.example (198.51.100.7) by mx.outlook.example
  with Microsoft SMTP Server; Wed, 05 Mar 2025 10:20:31 -0800
From: Shop <orders@example.com>
To: "Kim Lee"
  <kim.lee@outlook.com>
Subject: Your order has shipped

--jmrp_5f1c0e--
`);

const FEEDBACK = `Feedback-Type: abuse
User-Agent: SomeGenerator/1.0
Version: 1
Original-Mail-From: <${RETURN_PATH}>
Arrival-Date: Thu, 06 Mar 2025 08:00:00 +0000
`;

describe('parseArf', () => {
  it('reads a Yahoo-style report: the recipient from the original To:, the envelope sender from its Return-Path', async () => {
    assert.deepEqual(await parseArf(YAHOO), {
      recipient: 'jane.buyer@yahoo.com',
      returnPath: RETURN_PATH,
      feedbackType: 'abuse',
      arrivalDate: 'Wed, 05 Mar 2025 09:02:11 +0000',
    });
  });

  it('reads the original whether it is marked inline, as an attachment or not at all', async () => {
    const disposition = 'Content-Disposition: inline\r\n';
    assert.ok(YAHOO.includes(disposition));
    const expected = await parseArf(YAHOO);
    for (const replacement of ['Content-Disposition: attachment; filename="original.eml"\r\n', '']) {
      const variant = Buffer.from(YAHOO.toString('utf8').replace(disposition, replacement), 'utf8');
      assert.deepEqual(await parseArf(variant), expected, replacement || 'no disposition');
    }
  });

  it('reads a JMRP-style report of headers only, unfolding To: and taking Received-Date as the arrival date', async () => {
    assert.deepEqual(await parseArf(JMRP), {
      recipient: 'kim.lee@outlook.com',
      returnPath: RETURN_PATH,
      feedbackType: 'abuse',
      arrivalDate: 'Wed, 05 Mar 2025 10:20:31 -0800',
    });
  });

  it('prefers Original-Rcpt-To, the envelope recipient, over the To: header', async () => {
    const arf = report(
      `${FEEDBACK}Original-Rcpt-To: <Pat@Example.NET>`,
      `Return-Path: <${RETURN_PATH}>
To: Newsletter <news-subscribers@example.com>
Subject: March news
`,
      'text/rfc822-headers',
    );
    assert.equal((await parseArf(arf))?.recipient, 'pat@example.net');
  });

  it('falls back to To: when Original-Rcpt-To names no single address', async () => {
    const arf = report(
      `${FEEDBACK}Original-Rcpt-To: a@example.net
Original-Rcpt-To: b@example.net`,
      `To: b@example.net
`,
      'text/rfc822-headers',
    );
    assert.equal((await parseArf(arf))?.recipient, 'b@example.net');
  });

  it('gives no recipient when the provider redacted it or the original names several, but still the return path', async () => {
    const originals = {
      'redacted To: (AOL style)': 'To: redacted@aol.com\n',
      'redacted To: and Original-Rcpt-To:': 'To: <Redacted@comcast.example>\n',
      'no To: at all': 'Subject: Your order has shipped\n',
      'a To: without an address': 'To: undisclosed-recipients:;\n',
      'several recipients': 'To: a@example.net, b@example.net\n',
    };
    for (const [name, headers] of Object.entries(originals)) {
      const feedback = name.includes('Original-Rcpt-To') ? `${FEEDBACK}Original-Rcpt-To: redacted@comcast.example` : FEEDBACK;
      const arf = report(feedback, `Return-Path: <${RETURN_PATH}>\n${headers}`, 'text/rfc822-headers');
      assert.deepEqual(
        await parseArf(arf),
        { recipient: null, returnPath: RETURN_PATH, feedbackType: 'abuse', arrivalDate: 'Thu, 06 Mar 2025 08:00:00 +0000' },
        name,
      );
    }
  });

  it('takes the envelope sender from Original-Mail-From when the original has no Return-Path, ignoring its body', async () => {
    const arf = report(
      FEEDBACK,
      `From: Shop <orders@example.com>
To: buyer@example.net
Subject: Your order

Return-Path: <someone-else@attacker.example>
`,
    );
    assert.deepEqual(await parseArf(arf), {
      recipient: 'buyer@example.net',
      returnPath: RETURN_PATH,
      feedbackType: 'abuse',
      arrivalDate: 'Thu, 06 Mar 2025 08:00:00 +0000',
    });
  });

  it('prefers the Return-Path the receiving MTA recorded over Original-Mail-From, and skips a null one', async () => {
    const recorded = report(FEEDBACK, 'Return-Path: <bounce+01jnv7w3q2k8d9m4x6r5t0y1zc@bounces.example.org>\nTo: buyer@example.net\n');
    const nullSender = report(FEEDBACK, 'Return-Path: <>\nTo: buyer@example.net\n');
    assert.equal((await parseArf(recorded))?.returnPath, 'bounce+01jnv7w3q2k8d9m4x6r5t0y1zc@bounces.example.org');
    assert.equal((await parseArf(nullSender))?.returnPath, RETURN_PATH);
  });

  it('gives null for a return path and arrival date that the report does not carry', async () => {
    const arf = report('Feedback-Type: fraud\nUser-Agent: SomeGenerator/1.0\nVersion: 1\n', 'To: buyer@example.net\n', 'text/rfc822-headers');
    assert.deepEqual(await parseArf(arf), { recipient: 'buyer@example.net', returnPath: null, feedbackType: 'fraud', arrivalDate: null });
  });

  it('lower-cases the feedback type, whatever the case of the field name, and drops a trailing comment', async () => {
    const types = { 'Feedback-Type: Abuse': 'abuse', 'feedback-type: NOT-SPAM': 'not-spam', 'FEEDBACK-TYPE: Virus (attachment)': 'virus' };
    for (const [field, expected] of Object.entries(types)) {
      const arf = report(`${field}\nVersion: 1\n`, 'To: buyer@example.net\n', 'text/rfc822-headers');
      assert.equal((await parseArf(arf))?.feedbackType, expected, field);
    }
  });

  it('finds the report and the original when the human-readable part is a multipart/alternative', async () => {
    const arf = mail(`From: fbl@isp.example
Subject: Abuse report
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="outer"

--outer
Content-Type: multipart/alternative; boundary="inner"

--inner
Content-Type: text/plain

A recipient marked your message as spam.

--inner
Content-Type: text/html

<p>A recipient marked your message as spam.</p>

--inner--

--outer
Content-Type: message/feedback-report

${FEEDBACK}
--outer
Content-Type: message/rfc822

Return-Path: <${RETURN_PATH}>
To: buyer@example.net

Hello
--outer--
`);
    assert.deepEqual(await parseArf(arf), {
      recipient: 'buyer@example.net',
      returnPath: RETURN_PATH,
      feedbackType: 'abuse',
      arrivalDate: 'Thu, 06 Mar 2025 08:00:00 +0000',
    });
  });

  it('returns null for a delivery status notification', async () => {
    const dsn = mail(`From: MAILER-DAEMON@mx.example.net
To: ${RETURN_PATH}
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="rpt"

--rpt
Content-Type: text/plain

Your message could not be delivered.

--rpt
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; nobody@example.net
Action: failed
Status: 5.1.1

--rpt
Content-Type: text/rfc822-headers

Return-Path: <${RETURN_PATH}>
To: nobody@example.net

--rpt--
`);
    assert.equal(await parseArf(dsn), null);
  });

  it('returns null for messages that are not RFC 5965 reports', async () => {
    const plain = mail(`From: someone@isp.example
To: complaints@example.com
Subject: Spam from your network
Content-Type: text/plain

Feedback-Type: abuse
Return-Path: <${RETURN_PATH}>
To: buyer@example.net
`);
    // The pre-ARF Hotmail format: multipart/mixed around the original, no machine-readable report.
    const legacy = mail(`From: staff@hotmail.com
Subject: complaint about message from 198.51.100.7
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="legacy"

--legacy
Content-Type: message/rfc822
Content-Disposition: inline

Return-Path: <${RETURN_PATH}>
To: buyer@example.net

Hello
--legacy--
`);
    assert.equal(await parseArf(plain), null);
    assert.equal(await parseArf(legacy), null);
  });

  it('returns null for a feedback report with its parts missing, out of place, or without a Feedback-Type', async () => {
    const original = `Return-Path: <${RETURN_PATH}>\nTo: buyer@example.net\n`;
    const noOriginal = mail(`Content-Type: multipart/report; report-type=feedback-report; boundary="b"

--b
Content-Type: text/plain

Abuse report.

--b
Content-Type: message/feedback-report

${FEEDBACK}
--b--
`);
    const swapped = mail(`Content-Type: multipart/report; report-type=feedback-report; boundary="b"

--b
Content-Type: message/feedback-report

${FEEDBACK}
--b
Content-Type: text/plain

Abuse report.

--b
Content-Type: text/rfc822-headers

${original}
--b--
`);
    assert.equal(await parseArf(noOriginal), null);
    assert.equal(await parseArf(swapped), null);
    assert.equal(await parseArf(report(FEEDBACK, original, 'text/plain')), null);
    assert.equal(await parseArf(report('User-Agent: SomeGenerator/1.0\nVersion: 1\n', original)), null);
  });

  it('returns null for garbage bytes, an empty message or a truncated report, without throwing', async () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    const truncated = YAHOO.subarray(0, YAHOO.indexOf('Feedback-Type'));
    assert.equal(await parseArf(garbage), null);
    assert.equal(await parseArf(Buffer.alloc(0)), null);
    assert.equal(await parseArf(truncated), null);
  });

  it('returns null for a report larger than any report needs to be', async () => {
    const padded = Buffer.concat([YAHOO, Buffer.alloc(MAX_ARF_BYTES, 'a')]);
    assert.equal(await parseArf(padded), null);
  });
});
