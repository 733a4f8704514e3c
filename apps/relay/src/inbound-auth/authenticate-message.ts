import type { RecordLookup } from '@smarthost/dns';
import type { DmarcFinding } from '@smarthost/relay-policy';
import { authenticate, type AuthenticateOptions } from 'mailauth';
import { dmarcOfAuthors, withAuthorsResult } from './dmarc-of-authors';
import { removeForgedResults } from './forged-results';

export interface ArcSealer {
  signingDomain: string;
  selector: string;
  privateKey: string;
}

export interface InboundAuthOptions {
  /** RFC 8601 §2.5 authserv-id of our Authentication-Results headers. */
  authservId: string;
  /** A lookup bounded by the given deadline (epoch ms): the relay's configured resolver. */
  lookupUntil: (deadline: number) => RecordLookup;
  /** The most all lookups for one message may take together. */
  dnsDeadlineMs: number;
  arc: ArcSealer;
}

export interface Envelope {
  raw: Buffer;
  clientIp: string;
  helo: string;
  /** MAIL FROM, '' for the null sender (SPF then checks the HELO name, RFC 7208 §2.4). */
  sender: string;
}

export interface AuthenticatedMessage {
  /** The message with forged Authentication-Results removed and ours (plus the ARC set, Received-SPF) on top. */
  raw: Buffer;
  dmarc: DmarcFinding | null;
  /** spf=…, dkim=…, dmarc=…, arc=… for the log. */
  summary: Record<'spf' | 'dkim' | 'dmarc' | 'arc', string>;
  forgedRemoved: number;
}

/**
 * SPF (client IP, HELO, MAIL FROM), DKIM, DMARC and ARC for one message on port 25, with mailauth, which also seals
 * it (ARC-Seal, ARC-Message-Signature, ARC-Authentication-Results, RFC 8617 §5.1) so the customer's server can trust
 * our results after we forward it. Never throws for DNS trouble: lookups past the deadline end as temperror.
 */
export async function authenticateMessage(options: InboundAuthOptions, envelope: Envelope): Promise<AuthenticatedMessage> {
  const { raw, removed } = removeForgedResults(envelope.raw, options.authservId);
  const lookup = options.lookupUntil(Date.now() + options.dnsDeadlineMs) as NonNullable<AuthenticateOptions['resolver']>;
  const mailauthOptions: AuthenticateOptions = {
    ip: envelope.clientIp,
    helo: envelope.helo,
    sender: envelope.sender,
    mta: options.authservId,
    resolver: lookup,
    seal: options.arc,
    // BIMI is for mailbox providers' logos, not for a relay that forwards.
    disableBimi: true,
  };
  const result = await authenticate(raw, mailauthOptions);
  const dmarc = await dmarcOfAuthors(result, lookup);
  return {
    raw: Buffer.concat([Buffer.from(withAuthorsResult(result.headers, result, dmarc), 'latin1'), raw]),
    dmarc,
    summary: {
      spf: result.spf === false ? 'none' : result.spf.status.result,
      dkim: result.dkim.results.map((r) => r.status.result).join(',') || 'none',
      dmarc: dmarc?.result ?? 'none',
      arc: result.arc === false ? 'none' : result.arc.status.result,
    },
    forgedRemoved: removed,
  };
}
