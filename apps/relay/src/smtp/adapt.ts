import { randomUUID } from 'node:crypto';
import type { SMTPServerError, SMTPServerSession } from 'smtp-server';
import type { RelayContext } from './relay-context';
import type { ConnectionState } from './session-state';
import { internalError, SmtpRefusal } from './smtp-refusal';

export type Done<R> = (err?: Error | null, result?: R) => void;

/** The connection state smtp-server's session belongs to; created in onConnect, so it always exists after. */
export function stateOf(ctx: RelayContext, session: SMTPServerSession): ConnectionState {
  const state = ctx.connections.get(session.id);
  if (state === undefined) throw new Error(`no connection state for session ${session.id}`);
  return state;
}

/**
 * Turns a typed async phase handler into smtp-server's callback style. A refusal goes to the client as is;
 * anything else is a fault: logged with a correlation id that the temporary 451 reply also carries.
 */
export function toCallback<R>(ctx: RelayContext, phase: string, work: () => Promise<R>, done: Done<R>): void {
  work().then(
    (result) => done(null, result),
    (error: unknown) => {
      if (error instanceof SmtpRefusal) return done(error);
      const ref = randomUUID();
      ctx.logger.error({ err: error, phase, ref }, 'smtp handler failed');
      done(internalError(ref) as SMTPServerError);
    },
  );
}
