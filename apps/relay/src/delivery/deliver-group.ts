import { isDnsError, type DnsResolver } from '@smarthost/dns';
import type { RecipientGroup } from './destinations';
import { dnsTemporary, hopAddresses, planHops, publicTargets, type NextHop } from './next-hops';
import { failure, type RecipientOutcome } from './recipient-outcome';
import { CERTIFICATE_NOT_VERIFIED, remoteMta, type SmtpError, type SmtpTarget } from './smtp-client';
import type { SmtpPool } from './smtp-pool';
import { everyone, isSmtpError, runTransaction, type Outcomes } from './smtp-transaction';

export interface GroupDeliveryDeps {
  resolver: DnsResolver;
  pool: SmtpPool;
  mxPort: number;
  /** Routes and MX hosts may resolve to loopback (tests only: NODE_ENV=test, as in the API). */
  allowLoopbackTargets: boolean;
  /** This relay's own addresses, never delivered to (see publicTargets). */
  ownAddresses(): Promise<ReadonlySet<string>>;
}

/**
 * Delivers one message to one group of recipients: hosts in MX preference order, each host's addresses in turn
 * (RFC 5321 §5.1), moving on only when a server could not be reached or dropped the session. The first server
 * that answers the transaction decides for this attempt.
 */
export async function deliverGroup(group: RecipientGroup, mailFrom: string, message: Buffer, deps: GroupDeliveryDeps): Promise<Outcomes> {
  const plan = await planHops(group.destination, deps.resolver, deps.mxPort);
  if (plan.kind === 'fail') return everyone(group.addresses, plan.outcome);
  let last: RecipientOutcome | undefined;
  for (const hop of plan.hops) {
    const addresses = await addressesOf(hop, deps);
    if (!Array.isArray(addresses)) {
      last = addresses;
      continue;
    }
    for (const address of addresses) {
      const target: SmtpTarget = { address, port: hop.port, hostname: hop.hostname, tls: hop.tls };
      try {
        return await deps.pool.use(target, (client) => runTransaction(client, mailFrom, group.addresses, message));
      } catch (error) {
        if (!isSmtpError(error)) throw error;
        last = sessionFailure(error, target);
      }
    }
  }
  return everyone(group.addresses, last ?? failure('deferred', 'connection', 'connect', 'no server to deliver to'));
}

async function addressesOf(hop: NextHop, deps: GroupDeliveryDeps): Promise<string[] | RecipientOutcome> {
  try {
    const [addresses, own] = await Promise.all([hopAddresses(hop, deps.resolver), deps.ownAddresses()]);
    return publicTargets(hop, addresses, deps.allowLoopbackTargets, own);
  } catch (error) {
    // A host without addresses is skipped like an unreachable one; the domain's owner may still fix it.
    if (isDnsError(error)) return dnsTemporary(`no address for ${hop.hostname} (${error.code})`);
    if (error instanceof Error && 'code' in error) return dnsTemporary(`no address for ${hop.hostname} (${String(error.code)})`);
    throw error;
  }
}

function sessionFailure(error: SmtpError, target: SmtpTarget): RecipientOutcome {
  const mta = remoteMta(target);
  const text = `${error.message}`.replace(/\s+/g, ' ');
  if (error.code === CERTIFICATE_NOT_VERIFIED) {
    // RFC 3463 §3.8: X.7.5 cryptographic failure; Postfix defers "Server certificate not verified" the same way.
    return failure('deferred', 'tls_unverified', 'tls', text, { remoteMta: mta, enhancedCode: '4.7.5' });
  }
  if (error.code === 'ETLS' && target.tls !== 'opportunistic') {
    // RFC 3463 §3.8: X.7.10 encryption needed.
    return failure('deferred', 'tls_required', 'tls', text, { remoteMta: mta, enhancedCode: '4.7.10' });
  }
  const smtpCode = error.responseCode ?? undefined;
  const phase = error.command === 'DATA' ? 'data' : error.command === 'RCPT TO' ? 'rcpt' : error.command === 'MAIL FROM' ? 'mail' : 'connect';
  // RFC 3463 §3.5: X.4.2 bad connection.
  return failure('deferred', 'connection', phase, text, { remoteMta: mta, enhancedCode: '4.4.2', ...(smtpCode ? { smtpCode } : {}) });
}
