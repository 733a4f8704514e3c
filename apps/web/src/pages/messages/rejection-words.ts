import type { RejectionQuery } from '../../api/types';

/**
 * The relay's refusal codes (libs/relay-policy RefusalCode) in a customer's words. Keyed by the API's own list, so a
 * new code fails the type check until it has its words.
 */
const WORDS: Record<NonNullable<RejectionQuery['reason']>, string> = {
  auth_required: 'Not logged in (no SMTP AUTH)',
  auth_unknown_user: 'Unknown SMTP username',
  auth_bad_password: 'Wrong SMTP password',
  auth_credential_disabled: 'Credential disabled',
  auth_ip_not_allowed: 'Connected from an address outside the credential’s allowlist',
  auth_too_many_failures: 'Too many failed logins on one connection',
  auth_username_flood: 'Login flood for one user name from one address',
  auth_address_flood: 'Many user names tried from one address',
  auth_tls_required: 'Tried to log in without TLS',
  sender_not_owned: 'Sender not on a verified domain of this credential',
  tenant_suspended: 'Team suspended',
  tenant_paused: 'Sending paused',
  quota_daily_exhausted: 'Daily recipient quota used up',
  quota_monthly_exhausted: 'Monthly recipient quota used up',
  rate_limited: 'Sending too fast (per-minute limit)',
  too_many_recipients: 'Too many recipients in one message',
  message_too_large: 'Message too large',
  relay_denied: 'Relaying denied',
  recipient_unknown: 'Unknown recipient',
  report_unknown: 'Bounce to a return path this relay never sent',
  suppressed: 'Recipient suppressed (earlier bounce or complaint)',
  bad_address_syntax: 'Address not readable',
  from_misaligned: 'From header on another domain than the envelope sender',
  policy_unavailable: 'Relay briefly without its policy (retried by the client)',
  storage_unavailable: 'Relay briefly unable to store mail (retried by the client)',
  report_check_unavailable: 'Complaint signature could not be checked yet (retried by the sender)',
  bare_line_ending: 'Bare CR or LF in the message',
  dmarc_reject: 'Inbound mail failing its sender’s DMARC policy (p=reject)',
  too_many_signatures: 'Inbound mail with too many DKIM or ARC signatures to check',
  srs_invalid: 'Bounce to an invalid or expired forwarding (SRS) address',
  srs_not_bounce: 'Mail other than a bounce to a forwarding (SRS) address',
  too_many_hops: 'Mail looping (too many Received headers)',
  line_too_long: 'A line longer than 998 characters',
  inbound_quota_exhausted: 'Inbound quota of the plan used up',
  inbound_backlog_full: 'Too much inbound mail waiting to be passed on',
};

export function rejectionWords(reason: string): string {
  return WORDS[reason as keyof typeof WORDS] ?? reason;
}
