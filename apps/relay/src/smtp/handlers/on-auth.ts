import { authenticate } from '@smarthost/relay-policy';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SMTPServerAuthentication, SMTPServerAuthenticationResponse, SMTPServerSession } from 'smtp-server';
import { stateOf } from '../adapt';
import type { BlockState } from '../../limits/auth-limiter';
import type { Block } from '../../limits/auth-rules';
import type { RelayContext } from '../relay-context';
import type { ConnectionState } from '../session-state';
import { SmtpRefusal } from '../smtp-refusal';

/**
 * AUTH PLAIN/LOGIN, only ever over TLS (smtp-server refuses AUTH before STARTTLS on 587 with
 * `allowInsecureAuth: false`). The digest compare is constant-time in `authenticate`. Failures close the connection
 * after a few, slow the next failure replies (tarpit), and refuse AUTH only during a flood: for one username from one
 * address, or for a whole address trying many usernames (rules in limits/auth-rules.ts). A correct password is
 * never delayed, and failures under one username never refuse another.
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
  const block = await blockOf(ctx, state, username);
  if (block.block !== 'none') throw blockRefusal(ctx, state, block);
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

async function blockOf(ctx: RelayContext, state: ConnectionState, username: string): Promise<BlockState> {
  try {
    return await ctx.authLimiter.blocked(state.clientIp, username);
  } catch (error) {
    // Without the shared counters an attacker could guess unlimited: refuse temporarily, fail closed.
    ctx.logger.warn({ err: error, sessionId: state.sessionId }, 'auth limiter unavailable');
    throw new SmtpRefusal('storage_unavailable');
  }
}

function blockRefusal(ctx: RelayContext, state: ConnectionState, block: BlockState): SmtpRefusal {
  const code = block.block === 'address' ? 'auth_address_flood' : 'auth_username_flood';
  ctx.logger.info({ sessionId: state.sessionId, clientIp: state.clientIp, block: block.block }, 'smtp auth refused during a flood');
  return new SmtpRefusal(code, `in ${Math.max(1, Math.ceil(block.retryAfterMs / 1000))} seconds`);
}

async function fail(ctx: RelayContext, state: ConnectionState, username: string, reason: string): Promise<never> {
  state.authFailures += 1;
  ctx.logger.info({ sessionId: state.sessionId, clientIp: state.clientIp, reason, failures: state.authFailures }, 'smtp auth failed');
  let block: Block = 'none';
  try {
    const verdict = await ctx.authLimiter.recordFailure(state.clientIp, username);
    block = verdict.block;
    if (verdict.delayMs > 0) await sleep(verdict.delayMs);
  } catch (error) {
    ctx.logger.warn({ err: error, sessionId: state.sessionId }, 'auth failure not recorded');
  }
  const blockSeconds = `in ${ctx.authLimiter.limits.blockSeconds} seconds`;
  if (block === 'address') throw new SmtpRefusal('auth_address_flood', blockSeconds);
  if (block === 'username') throw new SmtpRefusal('auth_username_flood', blockSeconds);
  if (state.authFailures >= ctx.authLimiter.limits.maxFailuresPerConnection) throw new SmtpRefusal('auth_too_many_failures');
  throw new SmtpRefusal('auth_bad_password');
}
