import { Resolver } from 'node:dns/promises';

/**
 * `dns.promises.resolve`'s shape (name, rrtype) → records: what mailauth takes as its `resolver`, whose SPF, DKIM,
 * DMARC and ARC code read the error `code` (ENOTFOUND/ENODATA = none, anything else = temperror).
 */
export type RecordLookup = (name: string, rrtype: string) => Promise<unknown>;

export interface RecordLookupOptions {
  /** Name servers as `host` or `host:port`; the system's when omitted. */
  servers?: readonly string[];
  /** Time to wait for one answer before the next try. */
  timeoutMs: number;
  tries: number;
}

/** One shared resolver (one c-ares channel) whose lookups each message then bounds with its own deadline. */
export function createRecordLookup(options: RecordLookupOptions): (deadline: number) => RecordLookup {
  const resolver = new Resolver({ timeout: options.timeoutMs, tries: options.tries });
  if (options.servers) resolver.setServers([...options.servers]);
  return (deadline) => (name, rrtype) => withDeadline(resolver.resolve(name, rrtype), deadline, name);
}

/**
 * A lookup still unanswered at the deadline fails as ETIMEOUT, which mailauth reports as temperror: a slow name
 * server makes the result "try again later" instead of holding the SMTP session (RFC 7208 §4.6.4, §2.6.6).
 */
function withDeadline<T>(lookup: Promise<T>, deadline: number, name: string): Promise<T> {
  const left = deadline - Date.now();
  if (left <= 0) {
    lookup.catch(() => undefined);
    return Promise.reject(timeoutError(name));
  }
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError(name)), left);
  });
  return Promise.race([lookup, expired]).finally(() => clearTimeout(timer));
}

function timeoutError(name: string): Error {
  return Object.assign(new Error(`DNS lookup for ${name} passed its deadline`), { code: 'ETIMEOUT' });
}
