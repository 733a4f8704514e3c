import { swaks, type SwaksResult } from '@smarthost/testkit';
import type { SmtpCredential } from '../customer';
import type { RelayNode } from '../stack';

export interface Submission {
  credential: Pick<SmtpCredential, 'username' | 'password'>;
  from: string;
  to: string;
  subject?: string;
  body?: string;
  /**
   * Stop after this command without sending a message: probes whether the credential (AUTH) or the recipient
   * (RCPT) is accepted without using quota or queueing mail.
   */
  quitAfter?: 'AUTH' | 'RCPT';
}

/** An application submitting through a node: port 587 style, STARTTLS, then AUTH, as swaks does it. */
export function submit(node: RelayNode, submission: Submission): Promise<SwaksResult> {
  if (!node.ports) throw new Error(`${node.name} has no SMTP listeners (role ${node.role})`);
  const args = [
    '--server', '127.0.0.1',
    '--port', String(node.ports.submission),
    '--tls',
    '--auth', 'PLAIN',
    '--auth-user', submission.credential.username,
    '--auth-password', submission.credential.password,
    '--from', submission.from,
    '--to', submission.to,
    '--h-From', submission.from,
    '--header', `Subject: ${submission.subject ?? 'e2e'}`,
    '--body', submission.body ?? 'Sent by the end-to-end tests.',
    ...(submission.quitAfter ? ['--quit-after', submission.quitAfter] : []),
  ];
  return swaks(args);
}

/** The relay's `250 ... queued as <id>` message id, or an error showing the transcript. */
export function queuedId(result: SwaksResult): string {
  const match = /queued as ([0-9A-HJKMNP-TV-Z]{26})/.exec(result.transcript);
  if (result.exitCode !== 0 || !match) throw new Error(`submission was not accepted (swaks exit ${result.exitCode}):\n${result.transcript}`);
  return match[1] as string;
}
