import { checkForwardTarget, parseDomain } from '@smarthost/relay-policy';
import ipaddr from 'ipaddr.js';

export type ForwardHostResult = { ok: true; host: string } | { ok: false; message: string };

export interface ForwardHostRules {
  /** Our own relay name: forwarding to it would loop mail back into the relay. */
  relayHostname: string;
  /**
   * Loopback targets are refused in production (a route must not reach services on the relay's own machine) but
   * allowed under NODE_ENV=test, where the test "customer servers" are SMTP sinks on 127.0.0.1.
   */
  allowLoopback: boolean;
}

/**
 * Where a forward route may deliver: a host name, or a public unicast IP address (checkForwardTarget: private,
 * link-local, loopback, multicast and reserved addresses are refused). What a host name resolves to is judged at
 * delivery time, where the delivery worker applies the same rule to its addresses (RelayLoopCheck also resolves it
 * here, for the relay's own addresses only).
 */
export function checkForwardHost(raw: string, rules: ForwardHostRules): ForwardHostResult {
  const text = raw.trim().replace(/^\[(.*)\]$/, '$1');
  const address = parseIp(text);
  if (address) {
    const target = checkForwardTarget(address, rules.allowLoopback);
    return target.ok ? { ok: true, host: target.address } : { ok: false, message: `must not be a ${target.range} address` };
  }
  const domain = parseDomain(text);
  if (!domain.ok) return { ok: false, message: 'must be a host name or a public IP address' };
  if (domain.domain === rules.relayHostname.toLowerCase()) {
    return { ok: false, message: 'must not be the relay itself (mail would loop)' };
  }
  return { ok: true, host: domain.domain };
}

/** Four-part decimal IPv4 only: "10.1" or "0x7f.1" are inet_aton spellings nobody means in a route. */
function parseIp(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (ipaddr.IPv6.isValid(text)) return ipaddr.process(text);
  return null;
}
