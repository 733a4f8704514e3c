/**
 * Why a lookup produced no records. A closed set so callers decide exhaustively:
 * - `not-found`: the name does not exist (NXDOMAIN) or has no record of that type (NODATA).
 *   Authoritative: "the record is missing", e.g. a domain verification fails.
 * - `temporary`: SERVFAIL, REFUSED, timeout, unreachable server or an unreadable answer.
 *   Nothing is known; the caller tries again later (RFC 5321 §4.5.4.1: a DNS failure is a 4xx, never a bounce).
 */
export type DnsErrorKind = 'not-found' | 'temporary';

export class DnsError extends Error {
  override readonly name = 'DnsError';

  constructor(
    readonly kind: DnsErrorKind,
    /** The resolver's code (`ENOTFOUND`, `ENODATA`, `ESERVFAIL`, `ETIMEOUT`, …), kept for logs. */
    readonly code: string,
    readonly hostname: string,
    readonly rrtype: string,
  ) {
    super(`DNS ${rrtype} lookup for ${hostname} failed: ${code} (${kind})`);
  }
}

// c-ares codes that are an authoritative "no such record"; EBADNAME is a name no record can exist for.
const NOT_FOUND_CODES: ReadonlySet<string> = new Set(['ENOTFOUND', 'ENODATA', 'EBADNAME']);

/** Anything not known to mean "absent" is temporary: a wrong bounce is worse than a late retry. */
export function classifyDnsError(error: unknown, hostname: string, rrtype: string): DnsError {
  if (error instanceof DnsError) return error;
  const code = errorCode(error);
  return new DnsError(NOT_FOUND_CODES.has(code) ? 'not-found' : 'temporary', code, hostname, rrtype);
}

export function isDnsError(error: unknown, kind?: DnsErrorKind): error is DnsError {
  return error instanceof DnsError && (kind === undefined || error.kind === kind);
}

function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return 'EUNKNOWN';
}
