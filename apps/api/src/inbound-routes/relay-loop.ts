import { Inject, Injectable } from '@nestjs/common';
import { isDnsError, type DnsResolver } from '@smarthost/dns';
import type { PrismaClient } from '@smarthost/db';
import ipaddr from 'ipaddr.js';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { AppError } from '../core/app-error';
import { PRISMA } from '../core/tokens';
import { DNS_RESOLVER } from '../domains/dns-resolver.provider';

/**
 * A forward route must not lead back into the relay (a mail loop, RFC 5321 §6.3): refused when its host is, or
 * resolves to, an address of a relay node. The relay's addresses are what every registered node last reported in
 * its heartbeat (a silent node is still ours, so all of them) and what RELAY_HOSTNAME resolves to. DNS can change
 * after the route is saved, so the delivery worker checks again where it connects; a name that does not resolve
 * now is accepted here for the same reason.
 */
@Injectable()
export class RelayLoopCheck {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(DNS_RESOLVER) private readonly resolver: DnsResolver,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  /** Throws a 400 naming body.host when `host` (already validated: a host name or an IP address) is the relay. */
  async assertNotRelay(host: string): Promise<void> {
    const [targets, relay] = await Promise.all([this.resolve(host), this.relayAddresses()]);
    const hit = targets.find((address) => relay.has(address));
    if (hit !== undefined) {
      const through = hit === host ? '' : ` (resolves to ${hit})`;
      throw AppError.invalid('body.host', `must not be a relay node's address${through}: mail would loop`);
    }
  }

  private async relayAddresses(): Promise<Set<string>> {
    const nodes = await this.prisma.relayNode.findMany({ select: { publicIps: true } });
    const own = await this.resolve(this.config.RELAY_HOSTNAME);
    return new Set([...nodes.flatMap((node) => node.publicIps), ...own].flatMap(canonical));
  }

  private async resolve(host: string): Promise<string[]> {
    if (ipaddr.isValid(host)) return canonical(host);
    try {
      return (await this.resolver.addresses(host)).flatMap(canonical);
    } catch (error) {
      if (isDnsError(error)) return [];
      throw error;
    }
  }
}

/** One spelling per address: an IPv4-mapped IPv6 address is the IPv4 address it carries. */
function canonical(text: string): string[] {
  return ipaddr.isValid(text) ? [ipaddr.process(text).toString()] : [];
}
