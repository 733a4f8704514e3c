import { generateKeyPairSync } from 'node:crypto';
import { dkimSign } from 'mailauth';
import type { TestDnsServer } from '../dns/dns-server';

/** A mailbox provider's feedback loop: it DKIM-signs its complaint reports with a key published on the test DNS server. */
export interface FeedbackLoop {
  /** The d= of its signatures. */
  domain: string;
  /** The report with a DKIM-Signature header of `domain` in front. */
  sign(raw: string): Promise<string>;
}

export function startFeedbackLoop(dns: TestDnsServer, domain: string, selector = 'fbl'): FeedbackLoop {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  dns.set(`${selector}._domainkey.${domain}`, 'TXT', [`v=DKIM1; k=rsa; p=${spki}`]);
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return {
    domain,
    sign: async (raw) => {
      const signature = { signingDomain: domain, selector, privateKey: pem, canonicalization: 'relaxed/relaxed' };
      const signed = await dkimSign(raw, { ...signature, signatureData: [signature] });
      if (signed.errors.length > 0) throw signed.errors[0];
      return signed.signatures + raw;
    },
  };
}

export interface ArfFields {
  /** The Return-Path the provider recorded for the original message (the relay's VERP address). */
  returnPath: string;
  /** Original-Rcpt-To; null for a redacted report. */
  recipient: string | null;
  feedbackType?: string;
  /** From: of the report (the provider's address). */
  from?: string;
  /** To: of the report (the feedback-loop address). */
  to: string;
}

/** A spam complaint as feedback loops send it (RFC 5965), with CRLF line ends. */
export function arfReport(fields: ArfFields): string {
  const { returnPath, recipient, feedbackType = 'abuse', from = 'staff@fbl.mailbox.example', to } = fields;
  return [
    `From: <${from}>`,
    `To: <${to}>`,
    'Subject: complaint about message from 192.0.2.10',
    'Date: Sun, 29 Nov 2026 10:05:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=feedback-report; boundary="F1"',
    '',
    '--F1',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is an email abuse report.',
    '',
    '--F1',
    'Content-Type: message/feedback-report',
    '',
    `Feedback-Type: ${feedbackType}`,
    'User-Agent: FBL/1.0',
    'Version: 1',
    ...(recipient === null ? [] : [`Original-Rcpt-To: <${recipient}>`]),
    'Arrival-Date: Sun, 29 Nov 2026 10:00:00 +0000',
    '',
    '--F1',
    'Content-Type: message/rfc822',
    'Content-Disposition: inline',
    '',
    `Return-Path: <${returnPath}>`,
    'From: news@acme.test',
    `To: ${recipient ?? 'redacted@mailbox.example'}`,
    'Subject: Offer',
    '',
    'Buy now.',
    '--F1--',
    '',
  ].join('\r\n');
}
