import type { DnsRecordStatus } from '@smarthost/db';
import { type DnsResolver, isDnsError } from '@smarthost/dns';
import type { ExpectedRecord } from './dns-records';

export interface CheckResult {
  status: Exclude<DnsRecordStatus, 'pending'>;
  /** What DNS answered, for the customer to compare with what we asked for. */
  seenValue: string | null;
  detail: string | null;
}

const SEEN_MAX = 2000;

/**
 * Looks one record up and judges it. A DNS failure that is not an authoritative "no such record" is `error`:
 * nothing is known, and the caller must not treat it as the record having gone.
 */
export async function checkRecord(resolver: DnsResolver, record: ExpectedRecord): Promise<CheckResult> {
  try {
    return await judge(resolver, record);
  } catch (error) {
    if (isDnsError(error, 'not-found')) return { status: 'missing', seenValue: null, detail: `no ${record.type} record at ${record.host}` };
    if (isDnsError(error, 'temporary')) return { status: 'error', seenValue: null, detail: `DNS lookup failed (${error.code}); will retry` };
    throw error;
  }
}

async function judge(resolver: DnsResolver, record: ExpectedRecord): Promise<CheckResult> {
  switch (record.type) {
    case 'TXT':
      return judgeTxt(record, await resolver.txt(record.host));
    case 'CNAME': {
      const target = await resolver.cname(record.host);
      return target === record.value ? ok(target) : mismatch(target, `points to ${target}, expected ${record.value}`);
    }
    case 'MX': {
      const mx = await resolver.mx(record.host);
      if (mx.kind === 'null-mx') return mismatch('0 .', 'the domain publishes a null MX and accepts no mail');
      if (mx.implicit) return { status: 'missing', seenValue: null, detail: `no MX record at ${record.host}` };
      const hosts = mx.hosts.map((host) => host.exchange);
      return hosts.includes(record.value) ? ok(hosts.join(', ')) : mismatch(hosts.join(', '), `MX does not include ${record.value}`);
    }
  }
}

function judgeTxt(record: ExpectedRecord, values: string[]): CheckResult {
  switch (record.kind) {
    case 'ownership':
      return judgeOwnership(record, values);
    case 'dkim':
      return judgeDkim(record, values);
    case 'spf':
      return judgeSpf(record, values);
    case 'dmarc': {
      const dmarc = values.filter((value) => /^v=DMARC1\s*(;|$)/i.test(value.trim()));
      return dmarc.length > 0 ? ok(dmarc.join(' | ')) : { status: 'missing', seenValue: seen(values), detail: 'no DMARC record' };
    }
    default:
      throw new Error(`TXT check for a ${record.kind} record`);
  }
}

function judgeOwnership(record: ExpectedRecord, values: string[]): CheckResult {
  if (values.some((value) => value.trim() === record.value)) return ok(record.value);
  return mismatch(seen(values), 'the verification token does not match');
}

/** A published record may carry more tags (t=, h=, n=) or fold p= with spaces; the key itself must be ours. */
function judgeDkim(record: ExpectedRecord, values: string[]): CheckResult {
  const wanted = dkimTags(record.value).get('p');
  const match = values.find((value) => {
    const tags = dkimTags(value);
    return tags.get('p') === wanted && (tags.get('k') ?? 'rsa').toLowerCase() === 'rsa';
  });
  return match ? ok(match) : mismatch(seen(values), "the published key is not this selector's key");
}

/** RFC 7208 §4.5: more than one `v=spf1` record is a permerror, so receivers would ignore all of them. */
function judgeSpf(record: ExpectedRecord, values: string[]): CheckResult {
  const spf = values.filter((value) => /^v=spf1(\s|$)/i.test(value.trim()));
  if (spf.length === 0) return { status: 'missing', seenValue: seen(values), detail: 'no SPF (v=spf1) record' };
  if (spf.length > 1) return mismatch(seen(spf), 'more than one SPF record: receivers treat that as an error');
  const include = record.value.split(/\s+/).find((term) => term.startsWith('include:'))?.toLowerCase() ?? '';
  const terms = spf[0]!.toLowerCase().split(/\s+/).map((term) => term.replace(/^\+/, ''));
  return terms.includes(include) ? ok(spf[0]!) : mismatch(spf[0]!, `the SPF record does not contain ${include}`);
}

// RFC 6376 §3.6.1 / §3.2 tag list: whitespace around tags and inside values (folded p=) is insignificant.
function dkimTags(value: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const tag of value.split(';')) {
    const at = tag.indexOf('=');
    if (at > 0) tags.set(tag.slice(0, at).trim().toLowerCase(), tag.slice(at + 1).replace(/\s+/g, ''));
  }
  return tags;
}

function seen(values: string[]): string | null {
  return values.length === 0 ? null : values.join(' | ').slice(0, SEEN_MAX);
}

function ok(seenValue: string): CheckResult {
  return { status: 'ok', seenValue: seenValue.slice(0, SEEN_MAX), detail: null };
}

function mismatch(seenValue: string | null, detail: string): CheckResult {
  return { status: 'mismatch', seenValue: seenValue?.slice(0, SEEN_MAX) ?? null, detail };
}
