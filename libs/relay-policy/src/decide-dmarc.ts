import type { DomainPolicy } from './contract';
import { refuse, type Refusal } from './refusals';

export type InboundDmarcMode = DomainPolicy['inboundDmarc'];

/** What the DMARC check found for a message's From: domain (mailauth's result, reduced). */
export interface DmarcFinding {
  /** pass | fail | none | temperror | permerror … (RFC 8601 §2.7.1 / RFC 7489 §11.2). */
  result: string;
  /** The policy that applies to the From: domain (`sp` for a subdomain when given), lower-case. */
  policy?: string | undefined;
  pct?: number | undefined;
  /** The (organizational) domain the finding is for. */
  domain?: string | undefined;
}

/**
 * Refuse only a definite failure under `p=reject` for a domain that enforces. A temperror is never a refusal (a DNS
 * hiccup must not bounce mail), quarantine and none are marks for the customer's filter, and a policy sampled
 * below 100% (`pct`, RFC 7489 §6.6.4) falls back to the next lower policy for mail outside the sample: without a
 * sampler here, that is all of it.
 */
export function decideDmarc(finding: DmarcFinding | null, mode: InboundDmarcMode): Refusal | null {
  if (finding === null || mode !== 'enforce') return null;
  if (finding.result !== 'fail' || finding.policy !== 'reject') return null;
  if (finding.pct !== undefined && finding.pct < 100) return null;
  return refuse('dmarc_reject');
}
