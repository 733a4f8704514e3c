import { remoteMta, type SmtpClient, type SmtpError } from './smtp-client';
import { failure, outcomeFromReply, type RecipientOutcome } from './recipient-outcome';

export type Outcomes = Map<string, RecipientOutcome>;

/** Errors nodemailer raises for network and protocol trouble carry a string code (ECONNECTION, ETLS, …). */
export function isSmtpError(error: unknown): error is SmtpError {
  return error instanceof Error && typeof (error as SmtpError).code === 'string';
}

/**
 * The session broke or the server is going away (421, RFC 5321 §3.8) before it decided anything: the next
 * server may do better. Anything else with a reply is that server's verdict for this attempt.
 */
export function isSessionFailure(error: SmtpError): boolean {
  return !error.responseCode || error.responseCode === 421;
}

/**
 * One transaction for a group of recipients on an open session, mapped to an outcome per recipient: RCPT
 * refusals are per recipient, MAIL and DATA replies apply to everyone they concern. Session failures are thrown
 * for the caller to try the next server.
 */
export async function runTransaction(client: SmtpClient, mailFrom: string, addresses: readonly string[], message: Buffer): Promise<Outcomes> {
  const mta = remoteMta(client.target);
  try {
    const info = await client.send(mailFrom, addresses, message);
    const outcomes = refusalOutcomes((info.rejectedErrors ?? []) as SmtpError[], mta);
    const delivered = outcomeFromReply(info.response, 'data', mta);
    for (const address of info.accepted) outcomes.set(address, delivered);
    return complete(outcomes, addresses, delivered);
  } catch (error) {
    if (!isSmtpError(error)) throw error;
    if (error.code === 'EMESSAGE' && !error.responseCode) {
      // nodemailer refuses before MAIL when the message exceeds the server's advertised SIZE (RFC 1870).
      return everyone(addresses, failure('bounced', 'permanent', 'mail', error.message, { remoteMta: mta, enhancedCode: '5.3.4', smtpCode: 552 }));
    }
    if (isSessionFailure(error)) throw error;
    return refusedTransaction(client, error, addresses, mta);
  }
}

function refusedTransaction(client: SmtpClient, error: SmtpError, addresses: readonly string[], mta: string): Outcomes {
  const reply = error.response ?? String(error.responseCode);
  if (error.command === 'MAIL FROM') return everyone(addresses, outcomeFromReply(reply, 'mail', mta));
  if (error.rejectedErrors) return complete(refusalOutcomes(error.rejectedErrors, mta), addresses, outcomeFromReply(reply, 'rcpt', mta));
  // DATA refused: recipients already refused at RCPT keep their own reply, the others get DATA's.
  const outcomes = refusalOutcomes(client.lastRcptRefusals(), mta);
  return complete(outcomes, addresses, outcomeFromReply(reply, 'data', mta));
}

function refusalOutcomes(refusals: readonly SmtpError[], mta: string): Outcomes {
  const outcomes: Outcomes = new Map();
  for (const refusal of refusals) {
    if (refusal.recipient && refusal.response) outcomes.set(refusal.recipient, outcomeFromReply(refusal.response, 'rcpt', mta));
  }
  return outcomes;
}

function complete(outcomes: Outcomes, addresses: readonly string[], fallback: RecipientOutcome): Outcomes {
  for (const address of addresses) if (!outcomes.has(address)) outcomes.set(address, fallback);
  return outcomes;
}

export function everyone(addresses: readonly string[], outcome: RecipientOutcome): Outcomes {
  return new Map(addresses.map((address) => [address, outcome]));
}
