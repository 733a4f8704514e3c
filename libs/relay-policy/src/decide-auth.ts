import type { CredentialPolicy, TenantPolicy } from './contract';
import { ipInRanges } from './ip-allowlist';
import type { PolicyIndex } from './policy-index';
import { refuse, type Refusal } from './refusals';
import { secretDigest, verifySecret } from './secrets';
import type { SubmissionSession } from './session';

export type Submitter = { ok: true; credential: CredentialPolicy; tenant: TenantPolicy };

// Unknown users still pay for one digest, so response time does not tell an attacker which usernames exist.
const UNKNOWN_USER_DIGEST = secretDigest('unknown-user');

/**
 * SMTP AUTH. The password is checked before the credential's state, so only someone who holds the secret learns
 * that a credential is disabled or bound to other networks; the client sees the same 535 for all four codes.
 */
export function authenticate(index: PolicyIndex, username: string, password: string, clientIp: string): Submitter | Refusal {
  const credential = index.credentialByUsername(username);
  if (credential === undefined) {
    verifySecret(password, UNKNOWN_USER_DIGEST);
    return refuse('auth_unknown_user');
  }
  if (!verifySecret(password, credential.secretDigest)) return refuse('auth_bad_password');
  return checkCredential(index, credential, clientIp);
}

/**
 * The submission session's credential as the current policy sees it. A credential deleted or disabled since
 * AUTH, or a client address no longer allowed, ends what the session may do.
 */
export function resolveSubmitter(index: PolicyIndex, session: SubmissionSession): Submitter | Refusal {
  if (session.credentialId === null) return refuse('auth_required');
  const credential = index.credential(session.credentialId);
  if (credential === undefined) return refuse('auth_credential_disabled');
  return checkCredential(index, credential, session.clientIp);
}

function checkCredential(index: PolicyIndex, credential: CredentialPolicy, clientIp: string): Submitter | Refusal {
  if (credential.status !== 'active') return refuse('auth_credential_disabled');
  const tenant = index.tenant(credential.tenantId);
  // A credential whose tenant is missing from the policy is treated as unknown: fail closed.
  if (tenant === undefined) return refuse('auth_unknown_user');
  const ranges = index.credentialAllowlist(credential.id);
  if (ranges.length > 0 && !ipInRanges(clientIp, ranges)) return refuse('auth_ip_not_allowed');
  return { ok: true, credential, tenant };
}
