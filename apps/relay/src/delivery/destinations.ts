import type { DeliveryJob } from '@smarthost/queues';
import type { RouteTlsMode } from '@smarthost/relay-policy';
import type { HostPort } from './delivery-config';

/**
 * Where a group of recipients goes in one SMTP transaction:
 * - `mx`: the MX hosts of the recipient domain (outbound);
 * - `relayhost`: one configured next hop for all outbound mail (Postfix relayhost);
 * - `route`: the customer's server of an inbound route.
 */
export type Destination =
  | { kind: 'mx'; domain: string }
  | { kind: 'relayhost'; host: string; port: number }
  | { kind: 'route'; host: string; port: number; tls: RouteTlsMode };

export interface RecipientGroup {
  key: string;
  destination: Destination;
  /** As they go on the wire. */
  addresses: string[];
  /** Outbound: the one recipient domain of the group, which its return path is bound to (ADR 0006); inbound: null. */
  recipientDomain: string | null;
}

type JobRecipient = DeliveryJob['recipients'][number];

/**
 * Groups the recipients still to deliver by next hop, so each remote server sees one transaction with all of its
 * recipients (RFC 5321 §3.3), in the order the job lists them. Outbound mail to a relayhost is grouped per recipient
 * domain too: each group gets a return path that only speaks for its own domain, so the recipients at one domain
 * never see an address that could report on those at another.
 */
export function groupRecipients(
  direction: DeliveryJob['direction'],
  recipients: readonly JobRecipient[],
  relayhost: HostPort | null,
): RecipientGroup[] {
  const groups = new Map<string, RecipientGroup>();
  for (const recipient of recipients) {
    const destination = destinationOf(direction, recipient, relayhost);
    const recipientDomainOf = direction === 'inbound' ? null : recipientDomain(recipient.address);
    const key = destination.kind === 'relayhost' ? `${destinationKey(destination)}:${recipientDomainOf}` : destinationKey(destination);
    const group = groups.get(key) ?? { key, destination, addresses: [], recipientDomain: recipientDomainOf };
    group.addresses.push(recipient.address);
    groups.set(key, group);
  }
  return [...groups.values()];
}

function destinationOf(direction: DeliveryJob['direction'], recipient: JobRecipient, relayhost: HostPort | null): Destination {
  if (direction === 'inbound') {
    // An inbound job is only ever enqueued with a route per recipient; a missing one is a malformed job.
    if (!recipient.target) throw new MissingRouteError(recipient.address);
    const { host, port, tlsMode } = recipient.target;
    return { kind: 'route', host: host.toLowerCase(), port, tls: tlsMode };
  }
  if (relayhost) return { kind: 'relayhost', host: relayhost.host, port: relayhost.port };
  return { kind: 'mx', domain: recipientDomain(recipient.address) };
}

export function recipientDomain(address: string): string {
  const at = address.lastIndexOf('@');
  return address.slice(at + 1).toLowerCase().replace(/\.$/, '');
}

function destinationKey(destination: Destination): string {
  switch (destination.kind) {
    case 'mx':
      return `mx:${destination.domain}`;
    case 'relayhost':
      return `relayhost:${destination.host}:${destination.port}`;
    case 'route':
      return `route:${destination.host}:${destination.port}:${destination.tls}`;
  }
}

export class MissingRouteError extends Error {
  override readonly name = 'MissingRouteError';

  constructor(readonly address: string) {
    super(`inbound recipient ${address} has no route target`);
  }
}
