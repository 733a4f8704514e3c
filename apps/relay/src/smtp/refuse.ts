import type { RefusalCode } from '@smarthost/relay-policy';
import { rejectedEvent, type SmtpPhase } from '../events/relay-events';
import type { RelayContext } from './relay-context';
import type { ConnectionState, TransactionState } from './session-state';
import { SmtpRefusal } from './smtp-refusal';

export interface RefusalFacts {
  tenantId?: string | null;
  domainId?: string | null;
  recipient?: string;
  size?: number;
  detail?: string | null;
}

/** Logs a refusal, records it as an event and returns the error the SMTP handler throws. */
export function refuse(
  ctx: RelayContext,
  state: ConnectionState,
  phase: SmtpPhase,
  code: RefusalCode,
  facts: RefusalFacts = {},
): SmtpRefusal {
  const refusal = new SmtpRefusal(code, facts.detail);
  state.refusals += 1;
  const tx = state.transaction;
  // An authenticated session's refusals belong to the credential's tenant (they show in its statistics), even when
  // they come before a transaction exists, e.g. a foreign sender at MAIL FROM.
  const tenantId = facts.tenantId ?? tx?.tenantId ?? credentialTenant(ctx, state);
  ctx.logger.info(
    { sessionId: state.sessionId, clientIp: state.clientIp, phase, refusal: code, tenantId, credentialId: state.credentialId },
    'smtp refusal',
  );
  ctx.events.emit(
    rejectedEvent(state, {
      node: ctx.hostname,
      phase,
      refusal,
      tenantId,
      domainId: facts.domainId ?? tx?.domainId ?? null,
      mailFrom: tx === null ? null : (tx.sender?.wire ?? ''),
      recipients: facts.recipient !== undefined ? [facts.recipient] : (tx?.recipients.map((r) => r.recipient.wire) ?? []),
      size: facts.size ?? null,
    }),
  );
  return refusal;
}

function credentialTenant(ctx: RelayContext, state: ConnectionState): string | null {
  if (state.credentialId === null) return null;
  return ctx.policy.index?.credential(state.credentialId)?.tenantId ?? null;
}

/** A refusal at DATA, which has already cleared the transaction: refuse() reads the envelope from it. */
export function refuseData(ctx: RelayContext, state: ConnectionState, tx: TransactionState, code: RefusalCode, facts: RefusalFacts = {}): SmtpRefusal {
  state.transaction = tx;
  try {
    return refuse(ctx, state, 'data', code, facts);
  } finally {
    state.transaction = null;
  }
}
