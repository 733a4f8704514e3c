import type { TestDnsServer } from '@smarthost/testkit';
import type { DomainView } from '../domain-schemas';

type Kind = DomainView['records'][number]['kind'];

/**
 * Test support: publishes a domain's records on the loopback DNS server as a customer would, each kind unless
 * left out, so a test states only what it breaks.
 */
export function publish(dns: TestDnsServer, domain: DomainView, options: { except?: Kind[]; only?: Kind[] } = {}): void {
  for (const record of domain.records) {
    if (options.except?.includes(record.kind) || (options.only && !options.only.includes(record.kind))) continue;
    if (record.type === 'TXT') dns.set(record.host, 'TXT', [record.value]);
    if (record.type === 'CNAME') dns.set(record.host, 'CNAME', [record.value]);
    if (record.type === 'MX') dns.set(record.host, 'MX', [{ exchange: record.value, priority: 10 }]);
  }
}

export function recordOf(domain: DomainView, kind: Kind, host?: string): DomainView['records'][number] {
  const record = domain.records.find((candidate) => candidate.kind === kind && (host === undefined || candidate.host === host));
  if (!record) throw new Error(`no ${kind} record${host ? ` at ${host}` : ''}`);
  return record;
}
