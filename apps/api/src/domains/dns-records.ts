import type { DnsRecordKind } from '@smarthost/db';
import { dkimHost, dkimRecordValue } from '../dkim/dkim-keys';

export type RecordType = 'TXT' | 'CNAME' | 'MX';

/** A record the customer publishes; `value` is what we recommend, the check may accept more (see check-record.ts). */
export interface ExpectedRecord {
  kind: DnsRecordKind;
  host: string;
  type: RecordType;
  value: string;
  /** Needed for the features the domain uses; a required record that disappears is drift. */
  required: boolean;
}

export const OWNERSHIP_PREFIX = 'smarthost-verification=';
const MX_PREFERENCE = 10;
const ZONE_TTL = 3600;

export function spfInclude(relayHostname: string): string {
  return `include:spf.${relayHostname}`;
}

/**
 * Every record except DKIM (one per published key, see {@link dkimRecord}). DMARC is only recommended: p=none with
 * reports to the domain's own postmaster, which needs no external-destination authorisation (RFC 7489 §7.1).
 * The return path is required (bounces come back through it) but does not gate verification.
 */
export function baseRecords(
  domain: { name: string; verificationToken: string; inboundEnabled: boolean },
  relayHostname: string,
): ExpectedRecord[] {
  const name = domain.name;
  return [
    { kind: 'ownership', host: `_smarthost.${name}`, type: 'TXT', value: `${OWNERSHIP_PREFIX}${domain.verificationToken}`, required: true },
    { kind: 'spf', host: name, type: 'TXT', value: `v=spf1 ${spfInclude(relayHostname)} ~all`, required: true },
    { kind: 'dmarc', host: `_dmarc.${name}`, type: 'TXT', value: `v=DMARC1; p=none; rua=mailto:postmaster@${name}`, required: false },
    { kind: 'return_path', host: `bounces.${name}`, type: 'CNAME', value: relayHostname, required: true },
    { kind: 'mx', host: name, type: 'MX', value: relayHostname, required: domain.inboundEnabled },
  ];
}

export function dkimRecord(domainName: string, key: { selector: string; publicKey: string }): ExpectedRecord {
  return { kind: 'dkim', host: dkimHost(key.selector, domainName), type: 'TXT', value: dkimRecordValue(key.publicKey), required: true };
}

/** Master-file lines (RFC 1035 §5.1) to paste into a zone, fully qualified so the zone's $ORIGIN does not matter. */
export function zoneLines(records: readonly { host: string; type: string; value: string }[]): string[] {
  return records.map((record) => `${record.host}. ${ZONE_TTL} IN ${record.type} ${zoneData(record.type as RecordType, record.value)}`);
}

function zoneData(type: RecordType, value: string): string {
  switch (type) {
    case 'TXT':
      return quoteTxt(value);
    case 'CNAME':
      return `${value}.`;
    case 'MX':
      return `${MX_PREFERENCE} ${value}.`;
  }
}

// RFC 1035 §3.3.14: a character-string holds at most 255 octets, so a 2048-bit DKIM key spans several.
function quoteTxt(value: string): string {
  const chunks: string[] = [];
  for (let offset = 0; offset < value.length; offset += 255) chunks.push(value.slice(offset, offset + 255));
  return chunks.map((chunk) => `"${chunk.replace(/["\\]/g, '\\$&')}"`).join(' ');
}
