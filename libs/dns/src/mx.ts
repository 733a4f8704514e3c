export interface MxHost {
  /** Lower-case host name without the trailing dot. */
  exchange: string;
  priority: number;
}

/**
 * - `hosts`: where to deliver, in the order to try. `implicit` is true when the domain has no MX
 *   records and its own A/AAAA records stand in at preference 0 (RFC 5321 §5.1).
 * - `null-mx`: the domain publishes `MX 0 .` and accepts no mail (RFC 7505): bounce, never retry.
 */
export type MxResult = { kind: 'hosts'; hosts: MxHost[]; implicit: boolean } | { kind: 'null-mx' };

/**
 * Orders MX records for delivery: ascending preference, and hosts of equal preference shuffled,
 * because RFC 5321 §5.1 says the sender MUST randomize them to spread load.
 */
export function orderMx(records: readonly MxHost[], random: () => number = Math.random): MxResult {
  const normalized = records.map((record) => ({ exchange: normalizeExchange(record.exchange), priority: record.priority }));
  const usable = normalized.filter((record) => record.exchange !== '');
  // RFC 7505 §3: a null MX is the domain's only MX; mixed with real ones it is just an unusable host.
  if (usable.length === 0 && normalized.length > 0) return { kind: 'null-mx' };
  const keyed = usable.map((host) => ({ host, tiebreak: random() }));
  keyed.sort((a, b) => a.host.priority - b.host.priority || a.tiebreak - b.tiebreak);
  return { kind: 'hosts', hosts: keyed.map((entry) => entry.host), implicit: false };
}

function normalizeExchange(exchange: string): string {
  return exchange.trim().toLowerCase().replace(/\.$/, '');
}
