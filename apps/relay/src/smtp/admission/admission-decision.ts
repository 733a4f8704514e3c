import type { EdgeCut } from './edge-replies';

export interface AdmissionLoad {
  /** Sockets the listener holds, TLS handshakes included. */
  open: number;
  unauthenticated: number;
  /** Sockets of the connecting client's group. */
  clientOpen: number;
  /** Whether the group's per-minute budget had a connection left (it was taken if so). */
  clientTokenTaken: boolean;
}

export interface AdmissionCaps {
  maxClients: number;
  perClient: number;
  /** Slots sessions without AUTH may fill; the listener's whole capacity on port 25. */
  unauthenticated: number;
}

/**
 * Whether a new connection may start a session. Every new session is unauthenticated, so it must fit the
 * unauthenticated share too: an address that fills its share, or idle sessions that fill theirs, leave the rest
 * of the listener to authenticated clients and other addresses.
 */
export function admissionDecision(load: AdmissionLoad, caps: AdmissionCaps): EdgeCut | null {
  if (!load.clientTokenTaken) return 'client_rate';
  if (load.clientOpen >= caps.perClient) return 'client_connections';
  if (load.open >= caps.maxClients) return 'listener_full';
  if (load.unauthenticated >= caps.unauthenticated) return 'unauthenticated_full';
  return null;
}

/** A per-minute budget refilled continuously (token bucket), so a burst is bounded and no window edge doubles it. */
export interface RateBucket {
  tokens: number;
  at: number;
}

export function takeToken(bucket: RateBucket, now: number, perMinute: number): boolean {
  bucket.tokens = Math.min(perMinute, bucket.tokens + ((now - bucket.at) * perMinute) / 60_000);
  bucket.at = now;
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

/** True once the bucket would be full again: its group may be forgotten without giving anyone extra budget. */
export function bucketFull(bucket: RateBucket, now: number, perMinute: number): boolean {
  return bucket.tokens + ((now - bucket.at) * perMinute) / 60_000 >= perMinute;
}
