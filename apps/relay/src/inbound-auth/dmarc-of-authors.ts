import type { DmarcFinding } from '@smarthost/relay-policy';
import { dmarc, type AuthenticateResult, type DMARCOptions, type DMARCResult } from 'mailauth';

/**
 * The DMARC finding for a message's authors. mailauth evaluates a single From: address and gives no result at all
 * for several (two From: fields, or one with two addresses), which would let a spoofer add a second author to slip
 * past `p=reject`. RFC 7489 §6.6.1: then DMARC applies to each author domain, and the strictest outcome counts.
 */
export async function dmarcOfAuthors(result: AuthenticateResult, resolver: NonNullable<DMARCOptions['resolver']>): Promise<DmarcFinding | null> {
  if (result.dmarc !== false) return finding(result.dmarc);
  const domains = [...new Set(result.dkim.headerFrom.map((address) => address.slice(address.lastIndexOf('@') + 1).toLowerCase()))];
  if (domains.length < 2) return null;
  const spf = result.spf;
  const spfDomains = spf !== false && spf.status.result === 'pass' && spf.domain ? [spf.domain] : [];
  const dkimDomains = result.dkim.results.filter((r) => r.status.result === 'pass').map((r) => ({ domain: r.signingDomain }));
  const arcResult = result.arc === false ? undefined : result.arc;
  const results = await Promise.all(
    domains.map((domain) => dmarc({ headerFrom: `postmaster@${domain}`, spfDomains, dkimDomains, resolver, ...(arcResult ? { arcResult } : {}) })),
  );
  const findings = results.filter((r): r is DMARCResult => r !== false).map(finding);
  return findings.sort((a, b) => severity(b) - severity(a))[0] ?? null;
}

function finding(result: DMARCResult): DmarcFinding {
  return { result: result.status.result, policy: result.policy?.toLowerCase(), pct: result.pct, domain: result.domain };
}

/**
 * mailauth's Authentication-Results (the last header it returns) says nothing about DMARC for several authors: the
 * finding is added, so a customer whose domain only marks still sees the failure.
 */
export function withAuthorsResult(headers: string, result: AuthenticateResult, found: DmarcFinding | null): string {
  if (result.dmarc !== false || found === null) return headers;
  const policy = found.policy === undefined ? '' : ` p=${found.policy.toUpperCase()}`;
  return headers.replace(/\r\n$/, `;\r\n dmarc=${found.result} (several From addresses${policy}) header.from=${found.domain ?? ''}\r\n`);
}

function severity(f: DmarcFinding): number {
  if (f.result !== 'fail') return 0;
  return f.policy === 'reject' ? 3 : f.policy === 'quarantine' ? 2 : 1;
}
