export { DnsError, classifyDnsError, isDnsError } from './dns-error';
export type { DnsErrorKind } from './dns-error';
export { createResolver } from './resolver';
export type { DnsResolver, ResolverOptions } from './resolver';
export { orderMx } from './mx';
export type { MxHost, MxResult } from './mx';
export { normalizeDomain } from './domain-name';
export type { DomainNameError, NormalizedDomain } from './domain-name';
export { isPublicSuffix, registrableDomain } from './public-suffix';
