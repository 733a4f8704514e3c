/**
 * What the decisions need to know about an SMTP session. Submission sessions (587/465) carry the id of the
 * credential that authenticated, not the credential itself: every decision looks it up again in the current
 * index, so disabling a credential or suspending a tenant takes effect inside open sessions too.
 */
export type RelaySession = SubmissionSession | InboundSession;

export interface SubmissionSession {
  channel: 'submission';
  clientIp: string;
  /** null until AUTH succeeded. */
  credentialId: string | null;
}

/** Port 25: no AUTH, whatever the client address (no network is trusted). */
export interface InboundSession {
  channel: 'inbound';
  clientIp: string;
}
