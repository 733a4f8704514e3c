import { parseDomain, type EmailAddress } from './address';
import { parseFromHeader } from './from-header';
import { refuse, type Refusal } from './refusals';

export type FromAlignmentDecision = { ok: true; address: EmailAddress } | Refusal;

/**
 * The `From:` header must align with the envelope sender's domain (DMARC relaxed alignment, RFC 7489 §3.1):
 * the same domain, or a subdomain of it, which the tenant controls because it verified the envelope domain.
 *
 * A parent of the envelope domain is accepted only when `ownsDomain` says the tenant owns it too (e.g. envelope
 * `bounces.example.com`, From `example.com`, both verified). Accepting any parent would let a tenant that
 * verified a delegated `mail.bigcorp.com` send as `ceo@bigcorp.com` with a DKIM signature that passes DMARC.
 */
export function checkFromAlignment(
  envelopeDomain: string,
  fromHeaderValue: string,
  ownsDomain: (domain: string) => boolean = () => false,
): FromAlignmentDecision {
  const envelope = parseDomain(envelopeDomain);
  if (!envelope.ok) return refuse('from_misaligned', 'envelope sender domain unreadable');
  const header = parseFromHeader(fromHeaderValue);
  if (!header.ok) return refuse('from_misaligned', `From header ${header.reason}`);
  const from = header.address.domain;
  const env = envelope.domain;
  if (from === env || from.endsWith(`.${env}`)) return { ok: true, address: header.address };
  if (env.endsWith(`.${from}`) && ownsDomain(from)) return { ok: true, address: header.address };
  return refuse('from_misaligned');
}
