import { domainToUnicode } from 'node:url';
import type { DkimKey, Domain, DomainDnsRecord, Prisma } from '@smarthost/db';
import { zoneLines } from './dns-records';
import type { DomainSummary, DomainView } from './domain-schemas';

/** The DKIM columns that may leave the database through the API: never the sealed private key. */
export const DKIM_PUBLIC_SELECT = {
  id: true,
  selector: true,
  algorithm: true,
  publicKey: true,
  status: true,
  createdAt: true,
  verifiedAt: true,
  activatedAt: true,
  retiredAt: true,
} as const satisfies Prisma.DkimKeySelect;

export type PublicDkimKey = Pick<DkimKey, keyof typeof DKIM_PUBLIC_SELECT>;

export const DOMAIN_DETAIL_INCLUDE = {
  dnsRecords: { orderBy: [{ kind: 'asc' }, { host: 'asc' }] },
  dkimKeys: { select: DKIM_PUBLIC_SELECT, orderBy: { id: 'asc' } },
} as const satisfies Prisma.DomainInclude;

export type DomainDetail = Domain & { dnsRecords: DomainDnsRecord[]; dkimKeys: PublicDkimKey[] };

export function toSummary(domain: Domain): DomainSummary {
  return {
    id: domain.id,
    name: domain.name,
    unicodeName: domainToUnicode(domain.name),
    status: domain.status,
    verifiedAt: iso(domain.verifiedAt),
    lastCheckedAt: iso(domain.lastCheckedAt),
    inboundEnabled: domain.inboundEnabled,
    inboundDmarc: domain.inboundDmarc,
    createdAt: domain.createdAt.toISOString(),
  };
}

export function toView(domain: DomainDetail): DomainView {
  const records = domain.dnsRecords.map((record) => ({
    id: record.id,
    kind: record.kind,
    host: record.host,
    type: record.type,
    value: record.value,
    required: record.required,
    status: record.status,
    seenValue: record.seenValue,
    detail: record.detail,
    lastCheckedAt: iso(record.lastCheckedAt),
    lastOkAt: iso(record.lastOkAt),
    drift: isDrift(record),
  }));
  return {
    ...toSummary(domain),
    drift: records.some((record) => record.drift),
    records,
    dkimKeys: domain.dkimKeys.map((key) => ({
      ...key,
      createdAt: key.createdAt.toISOString(),
      verifiedAt: iso(key.verifiedAt),
      activatedAt: iso(key.activatedAt),
      retiredAt: iso(key.retiredAt),
    })),
    zone: zoneLines(domain.dnsRecords.filter(shouldPublish)),
  };
}

/** A required record that passed once and is now absent or wrong; a DNS timeout (`error`) is not drift. */
export function isDrift(record: Pick<DomainDnsRecord, 'required' | 'lastOkAt' | 'status'>): boolean {
  return record.required && record.lastOkAt !== null && (record.status === 'missing' || record.status === 'mismatch');
}

// An MX pointing at us while inbound is off would make us refuse the customer's own incoming mail.
function shouldPublish(record: DomainDnsRecord): boolean {
  return record.kind !== 'mx' || record.required;
}

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}
