import { createResolver, type DnsResolver } from '@smarthost/dns';
import { API_CONFIG, type ApiConfig } from '../config/api-config';

export const DNS_RESOLVER = Symbol('DNS_RESOLVER');

// A verification click should answer within seconds; a slow name server gives `error` and the scheduled re-check
// tries again later, so waiting longer here buys nothing.
const TIMEOUT_MS = 2000;
const TRIES = 2;

export const dnsResolverProvider = {
  provide: DNS_RESOLVER,
  inject: [API_CONFIG],
  useFactory: (config: ApiConfig): DnsResolver =>
    createResolver({ servers: config.DNS_SERVERS.length > 0 ? config.DNS_SERVERS : undefined, timeoutMs: TIMEOUT_MS, tries: TRIES }),
};
