import ipaddr from 'ipaddr.js';

export type ForwardTargetDecision = { ok: true; address: string } | { ok: false; range: string };

/**
 * Whether mail may be forwarded to this IP address (an inbound route's target): public unicast only, so a tenant
 * cannot aim the relay at internal networks. The API applies it to addresses typed into a route, the delivery
 * worker to what a route's host name resolves to when it delivers (DNS can change after the route was saved).
 * `allowLoopback` is for tests, whose customer servers are sinks on 127.0.0.1. IPv4-mapped IPv6 addresses are
 * judged as the IPv4 address they carry.
 */
export function checkForwardTarget(address: ipaddr.IPv4 | ipaddr.IPv6, allowLoopback: boolean): ForwardTargetDecision {
  const range = address.range();
  if (range === 'unicast' || (range === 'loopback' && allowLoopback)) return { ok: true, address: address.toString() };
  return { ok: false, range };
}

/** The same for an address as text (from DNS); anything that is not an IP address is refused. */
export function checkForwardAddress(text: string, allowLoopback: boolean): ForwardTargetDecision {
  if (!ipaddr.isValid(text)) return { ok: false, range: 'invalid' };
  return checkForwardTarget(ipaddr.process(text), allowLoopback);
}
