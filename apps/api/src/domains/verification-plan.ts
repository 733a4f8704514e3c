import type { DkimKeyStatus, DnsRecordKind, DomainStatus } from '@smarthost/db';
import { dkimHost } from '../dkim/dkim-keys';
import type { CheckResult } from './check-record';

export interface PlanInput {
  domain: { name: string; status: DomainStatus };
  records: { id: string; kind: DnsRecordKind; host: string; result: CheckResult }[];
  keys: { id: string; selector: string; status: DkimKeyStatus; verifiedAt: Date | null }[];
}

export interface VerificationPlan {
  status: DomainStatus;
  /** Pending keys whose record is now published. */
  keysVerified: string[];
  /** The first key becomes active as the domain is verified: there is no older key to keep signing with. */
  keyActivated: string | null;
}

/**
 * Decides the domain's status from one round of DNS checks. The rules, and why:
 * - Verification needs the ownership TXT, an SPF record including us and the DKIM record of the key that signs
 *   (the active key, or before the first activation the newest pending one). DMARC, return path and MX are shown but
 *   do not gate sending.
 * - Once verified, a record that disappears (drift) is flagged on the record, not on the domain: a customer editing
 *   SPF must not stop their mail at once. Only losing the ownership TXT means someone else may now control the
 *   domain, so the domain becomes `failed` (and stops relaying) and its claim is released.
 * - A temporary DNS failure (`error`) proves nothing and never changes the status.
 */
export function planVerification(input: PlanInput): VerificationPlan {
  const byKind = (kind: DnsRecordKind, host?: string) =>
    input.records.find((record) => record.kind === kind && (host === undefined || record.host === host))?.result.status;
  const signingKey = input.keys.find((key) => key.status === 'active') ?? newestPending(input.keys);
  const gate = [byKind('ownership'), byKind('spf'), signingKey ? byKind('dkim', dkimHost(signingKey.selector, input.domain.name)) : undefined];
  const passes = gate.every((status) => status === 'ok');
  const ownership = byKind('ownership');
  const ownershipLost = ownership === 'missing' || ownership === 'mismatch';

  const status = nextStatus(input.domain.status, passes, ownershipLost);
  const keysVerified = input.keys
    .filter((key) => key.status === 'pending' && key.verifiedAt === null)
    .filter((key) => byKind('dkim', dkimHost(key.selector, input.domain.name)) === 'ok')
    .map((key) => key.id);
  const keyActivated = status === 'verified' && signingKey?.status === 'pending' ? signingKey.id : null;
  return { status, keysVerified, keyActivated };
}

function nextStatus(current: DomainStatus, passes: boolean, ownershipLost: boolean): DomainStatus {
  if (current === 'verified') return ownershipLost ? 'failed' : 'verified';
  return passes ? 'verified' : current;
}

function newestPending<K extends { id: string; status: DkimKeyStatus }>(keys: K[]): K | undefined {
  // Ids are UUIDv7, so the greatest id is the newest key.
  return keys.filter((key) => key.status === 'pending').sort((a, b) => (a.id < b.id ? 1 : -1))[0];
}
