import ipaddr from 'ipaddr.js';

/**
 * The failed-AUTH rules, as plain numbers so they can be read (README "Limits at the edge") and tested as a table.
 * What they protect: an attacker must not guess passwords quickly, and must not be able to lock a real user out,
 * neither by guessing that user's name from elsewhere nor from behind the same NAT under another name.
 */
export interface AuthLimits {
  /** Failures on one connection before it is closed. */
  maxFailuresPerConnection: number;
  /** Each failure from an address (or for a username) within the window adds this to the next failure reply. */
  tarpitStepMs: number;
  tarpitMaxMs: number;
  /** Failures are counted per window; a block lasts blockSeconds. */
  windowSeconds: number;
  blockSeconds: number;
  /** More failures than this for one username from one address in a window: that username is refused there. */
  maxFailuresPerUsername: number;
  /** More distinct usernames than this failing from one address in a window (credential stuffing): the address is refused. */
  maxUsernamesPerAddress: number;
}

/** What Redis counted after one failure, this one included. */
export interface FailureCounts {
  /** Failures from the address in the window, under any username. */
  addressFailures: number;
  /** Failures for the username in the window, from any address. */
  usernameFailures: number;
  /** Failures for the username from the address in the window. */
  pairFailures: number;
  /** Distinct usernames that failed from the address in the window. */
  usernames: number;
}

export type Block = 'none' | 'username' | 'address';

export interface FailureVerdict {
  /** How long to hold this failure reply (the tarpit); a correct password is never held. */
  delayMs: number;
  /** What to refuse from this address for the next blockSeconds. */
  block: Block;
}

export function judgeFailure(counts: FailureCounts, limits: AuthLimits): FailureVerdict {
  return { delayMs: tarpitDelayMs(counts, limits), block: blockFor(counts, limits) };
}

/**
 * The first failure is free (a typo); each further one from the address, or for the username anywhere, makes the
 * next reply slower, up to the cap. A client that hangs up instead of waiting gains nothing: the failure is counted.
 */
export function tarpitDelayMs(counts: FailureCounts, limits: AuthLimits): number {
  const failures = Math.max(counts.addressFailures, counts.usernameFailures);
  return Math.min(limits.tarpitMaxMs, Math.max(0, failures - 1) * limits.tarpitStepMs);
}

function blockFor(counts: FailureCounts, limits: AuthLimits): Block {
  if (counts.usernames > limits.maxUsernamesPerAddress) return 'address';
  if (counts.pairFailures > limits.maxFailuresPerUsername) return 'username';
  return 'none';
}

/**
 * The part of a client address that counts as one client: the whole IPv4 address, the /64 of an IPv6 address
 * (one customer network, RFC 6177; a host can pick any address in it). IPv4-mapped IPv6 counts as IPv4.
 */
export function clientKey(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const parsed = ipaddr.process(ip);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16));
  return `${parts.join(':')}::/64`;
}
