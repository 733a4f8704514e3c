import type { DnsResolver } from '@smarthost/dns';
import { dkimVerify } from 'mailauth';

export interface ProviderSignatureCheck {
  /** DKIM signing domains of the feedback loops the relay is registered with (normalised). */
  providerDomains: readonly string[];
  /** The relay's configured resolver (DNS_SERVERS). */
  resolver: DnsResolver;
  /** The whole check, DNS included. */
  timeoutMs: number;
}

export type ProviderSignature =
  | { kind: 'verified'; signingDomain: string }
  | { kind: 'unverified'; reason: string }
  /** A provider's key could not be looked up in time: the report is refused with a 4xx so the provider retries. */
  | { kind: 'unavailable' };

/**
 * Whether a complaint comes from a feedback loop the relay trusts: a DKIM signature (RFC 6376, checked by mailauth)
 * that passes, by a configured provider domain or a subdomain of one, over the whole body (no `l=` tail left
 * unsigned). Only the providers' keys are ever looked up, so a report signed by any other domain costs no DNS query
 * and cannot make the relay wait on a server an outsider runs.
 */
export async function checkProviderSignature(raw: Buffer, check: ProviderSignatureCheck): Promise<ProviderSignature> {
  if (check.providerDomains.length === 0) return { kind: 'unverified', reason: 'no feedback-loop provider is configured' };
  const isProvider = (domain: string) => check.providerDomains.some((p) => domain === p || domain.endsWith(`.${p}`));
  const resolver = async (name: string, rrtype: string): Promise<string[][]> => {
    const owner = name.toLowerCase().replace(/\.$/, '');
    const keyDomain = owner.slice(owner.indexOf('._domainkey.') + '._domainkey.'.length);
    if (rrtype !== 'TXT' || !owner.includes('._domainkey.') || !isProvider(keyDomain)) throw Object.assign(new Error(`not looked up: ${name}`), { code: 'ENOTFOUND' });
    return (await check.resolver.txt(owner)).map((txt) => [txt]);
  };
  const results = await withDeadline(dkimVerify(raw, { resolver }).then((verified) => verified.results), check.timeoutMs);
  if (results === null) return { kind: 'unavailable' };
  const signatures = results.filter((result) => typeof result.signingDomain === 'string' && result.signingDomain !== '');
  const fromProvider = signatures.filter((result) => isProvider(result.signingDomain.toLowerCase()));
  const good = fromProvider.find((result) => result.status.result === 'pass' && !result.status.underSized);
  if (good) return { kind: 'verified', signingDomain: good.signingDomain.toLowerCase() };
  if (fromProvider.some((result) => result.status.result === 'temperror')) return { kind: 'unavailable' };
  if (signatures.length === 0) return { kind: 'unverified', reason: 'not DKIM-signed' };
  const described = signatures.map((result) => `d=${result.signingDomain} ${result.status.result}`).join(', ');
  return { kind: 'unverified', reason: `no passing signature of a feedback-loop provider (${described})`.slice(0, 400) };
}

/** The promise's value, or null once `ms` have passed (the work itself is bounded by the resolver's own timeouts). */
function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
