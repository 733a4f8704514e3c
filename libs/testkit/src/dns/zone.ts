/**
 * The record store behind the test DNS server, and the pure answer logic (no sockets), so the
 * server stays a thin transport.
 */
export type DnsRecordType = 'A' | 'AAAA' | 'MX' | 'TXT' | 'CNAME';

export interface MxValue {
  exchange: string;
  priority: number;
}

/**
 * TXT values: a string is one record, split into 255-byte character-strings on the wire as real
 * servers do for long values (RFC 1035 §3.3.14, e.g. DKIM keys); a string[] gives the
 * character-strings explicitly.
 */
export interface DnsValueByType {
  A: string;
  AAAA: string;
  MX: MxValue;
  TXT: string | string[];
  CNAME: string;
}

export type DnsFailure = 'servfail' | 'refused' | 'timeout';

export type ZoneAnswer =
  | { kind: 'answer'; rcode: 'NOERROR' | 'NXDOMAIN'; records: AnswerRecord[] }
  | { kind: 'fail'; failure: DnsFailure };

export type AnswerRecord =
  | { name: string; type: 'A' | 'AAAA'; address: string }
  | { name: string; type: 'MX'; exchange: string; priority: number }
  | { name: string; type: 'TXT'; data: Buffer[] }
  | { name: string; type: 'CNAME'; domain: string };

const MAX_CHARACTER_STRING = 255;
// Resolvers give up on CNAME chains well before this; it only guards against loops set by a test.
const MAX_CNAME_HOPS = 8;

export function canonicalName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

export function splitTxt(value: string | string[]): Buffer[] {
  if (Array.isArray(value)) return value.map((part) => Buffer.from(part, 'utf8'));
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length === 0) return [bytes];
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += MAX_CHARACTER_STRING) {
    chunks.push(bytes.subarray(offset, offset + MAX_CHARACTER_STRING));
  }
  return chunks;
}

function failureKey(name: string, type?: DnsRecordType): string {
  return type === undefined ? canonicalName(name) : `${canonicalName(name)} ${type}`;
}

export class Zone {
  private readonly records = new Map<string, Map<DnsRecordType, unknown[]>>();
  private readonly failures = new Map<string, DnsFailure>();

  set<T extends DnsRecordType>(name: string, type: T, values: readonly DnsValueByType[T][]): void {
    const owner = canonicalName(name);
    const byType = this.records.get(owner) ?? new Map<DnsRecordType, unknown[]>();
    byType.set(type, [...values]);
    this.records.set(owner, byType);
  }

  remove(name: string, type?: DnsRecordType): void {
    const owner = canonicalName(name);
    const byType = this.records.get(owner);
    if (!byType) return;
    if (type) byType.delete(type);
    if (!type || byType.size === 0) this.records.delete(owner);
  }

  /** Fails every query for `name`, or only those of one `type` (a server that answers A but breaks on AAAA). */
  fail(name: string, failure: DnsFailure, type?: DnsRecordType): void {
    this.failures.set(failureKey(name, type), failure);
  }

  unfail(name: string, type?: DnsRecordType): void {
    this.failures.delete(failureKey(name, type));
  }

  clear(): void {
    this.records.clear();
    this.failures.clear();
  }

  answer(questionName: string, type: DnsRecordType | 'OTHER'): ZoneAnswer {
    const failure = this.failures.get(failureKey(questionName)) ?? (type === 'OTHER' ? undefined : this.failures.get(failureKey(questionName, type)));
    if (failure) return { kind: 'fail', failure };
    const records: AnswerRecord[] = [];
    let owner = questionName;
    for (let hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
      const cname = this.values(owner, 'CNAME')[0];
      // RFC 1034 §3.6.2: a CNAME owner has no other data, so any other type follows the alias.
      if (type === 'CNAME' || cname === undefined) {
        records.push(...this.rrset(owner, type));
        break;
      }
      records.push({ name: owner, type: 'CNAME', domain: cname });
      owner = cname;
    }
    const exists = records.length > 0 || this.exists(owner);
    return { kind: 'answer', rcode: exists ? 'NOERROR' : 'NXDOMAIN', records };
  }

  private rrset(owner: string, type: DnsRecordType | 'OTHER'): AnswerRecord[] {
    switch (type) {
      case 'A':
      case 'AAAA':
        return this.values(owner, type).map((address) => ({ name: owner, type, address }));
      case 'MX':
        return this.values(owner, 'MX').map((mx) => ({ name: owner, type, exchange: mx.exchange, priority: mx.priority }));
      case 'TXT':
        return this.values(owner, 'TXT').map((txt) => ({ name: owner, type, data: splitTxt(txt) }));
      case 'CNAME':
        return this.values(owner, 'CNAME').map((domain) => ({ name: owner, type, domain }));
      case 'OTHER':
        return [];
    }
  }

  private values<T extends DnsRecordType>(name: string, type: T): DnsValueByType[T][] {
    return (this.records.get(canonicalName(name))?.get(type) ?? []) as DnsValueByType[T][];
  }

  /** RFC 8020: a name with records below it (an empty non-terminal such as `_domainkey.x`) exists. */
  private exists(name: string): boolean {
    const owner = canonicalName(name);
    if (this.records.has(owner)) return true;
    const suffix = '.' + owner;
    for (const candidate of this.records.keys()) if (candidate.endsWith(suffix)) return true;
    return false;
  }
}
