import { smtpReply, type RefusalCode } from '@smarthost/relay-policy';
import type { SMTPServerError } from 'smtp-server';

/**
 * A refusal on its way to the client. smtp-server sends `responseCode` and the message as is (its own
 * enhanced codes are hidden, they would be wrong for our refusals), so the enhanced code leads the message.
 */
export class SmtpRefusal extends Error implements SMTPServerError {
  readonly responseCode: number;

  constructor(
    readonly refusal: RefusalCode,
    detail?: string | null,
    /** Overrides the code, e.g. 421 to make smtp-server close the connection after replying. */
    responseCode?: number,
  ) {
    const reply = smtpReply(refusal, detail);
    super(`${reply.enhanced} ${reply.message}`);
    this.name = 'SmtpRefusal';
    this.responseCode = responseCode ?? reply.code;
  }
}

/** The reply for a fault we did not foresee: temporary, says nothing internal, carries the id that is logged. */
export function internalError(correlationId: string): SMTPServerError {
  return Object.assign(new Error(`4.3.0 Temporary local problem, try again later (ref ${correlationId})`), {
    responseCode: 451,
  });
}
