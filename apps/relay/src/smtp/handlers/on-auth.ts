import { authenticate } from '@smarthost/relay-policy';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SMTPServerAuthentication, SMTPServerAuthenticationResponse, SMTPServerSession } from 'smtp-server';
import { stateOf } from '../adapt';
import type { RelayContext } from '../relay-context';
import type { ConnectionState } from '../session-state';
import { SmtpRefusal } from '../smtp-refusal';

/**
 * AUTH PLAIN/LOGIN, only ever over TLS (smtp-server refuses AUTH before STARTTLS on 587 with
 * `allowInsecureAuth: false`). The digest compare is constant-time in `authenticate`. Failures are limited
 * per connection (closed after N), per IP (blocked for a window) and per username (slowed, never locked).
 */
export async function onAuth(
  ctx: RelayContext,
  auth: SMTPServerAuthentication,
  session: SMTPServerSession,
): Promise<SMTPServerAuthenticationResponse> {
  const state = stateOf(ctx, session);
  const username = auth.username ?? '';
  // PLAIN's authorization identity would let one credential act as another (RFC 4616 §2): not offered.
  if (auth.authzid !== undefined && auth.authzid !== '' && auth.authzid !== username) {
    return fail(ctx, state, username, 'authzid');
  }
  const policy = ctx.policy.current();
  if (policy === null) throw new SmtpRefusal('policy_unavailable');
  if (await isIpBlocked(ctx, state)) throw new SmtpRefusal('auth_rate_limited', null, 421);
  const result = authenticate(policy, username, auth.password ?? '', state.clientIp);
  if (!result.ok) return fail(ctx, state, username, result.refusal);
  state.credentialId = result.credential.id;
  ctx.credentialUsage.record(result.credential.id, state.clientIp);
  // Out of the unauthenticated share and its short idle deadline.
  state.admission?.authenticate();
  ctx.logger.info(
    { sessionId: state.sessionId, clientIp: state.clientIp, credentialId: result.credential.id, tenantId: result.tenant.id },
    'smtp auth ok',
  );
  return { user: result.credential.id };
}

async function isIpBlocked(ctx: RelayContext, state: ConnectionState): Promise<boolean> {
  try {
    return await ctx.authLimiter.isIpBlocked(state.clientIp);
  } catch (error) {
    // Without the shared counters an attacker could guess unlimited: refuse temporarily, fail closed.
    ctx.logger.warn({ err: error, sessionId: state.sessionId }, 'auth limiter unavailable');
    throw new SmtpRefusal('storage_unavailable');
  }
}

async function fail(ctx: RelayContext, state: ConnectionState, username: string, reason: string): Promise<never> {
  state.authFailures += 1;
  ctx.logger.info({ sessionId: state.sessionId, clientIp: state.clientIp, reason, failures: state.authFailures }, 'smtp auth failed');
  let outcome = { delayMs: 0, ipBlocked: false };
  try {
    outcome = await ctx.authLimiter.recordFailure(state.clientIp, username);
  } catch (error) {
    ctx.logger.warn({ err: error, sessionId: state.sessionId }, 'auth failure not recorded');
  }
  if (outcome.delayMs > 0) await sleep(outcome.delayMs);
  // 421 makes smtp-server close the connection after the reply.
  if (outcome.ipBlocked || state.authFailures >= ctx.limits.authMaxFailuresPerConnection) {
    throw new SmtpRefusal('auth_rate_limited', null, 421);
  }
  throw new SmtpRefusal('auth_bad_password');
}
