import type { EdgeCut } from './edge-replies';

export interface ClockLimits {
  handshakeMs: number;
  sessionMs: number;
  lineMs: number;
  dataMinBytesPerSecond: number;
  unauthenticatedIdleMs: number;
}

/** What the deadlines need to know of one connection; times are Date.now() values, 0 for "not now". */
export interface SessionClock {
  acceptedAt: number;
  /** Set once smtp-server started the session (after the TLS handshake on 465). */
  inSession: boolean;
  authenticated: boolean;
  lastInputAt: number;
  /** First byte of a line whose end has not arrived yet. */
  lineStartedAt: number;
  dataStartedAt: number;
  dataBytes: number;
  /** Handlers still deciding: the client is waiting for us, not the other way round (RFC 5321 §4.5.3.2). */
  busy: number;
}

/**
 * The deadline a connection missed, if any. Idle, line and DATA deadlines only run while the client owes us
 * input; the session deadline waits for a pending decision too, so a message being stored is still answered.
 */
export function missedDeadline(clock: SessionClock, now: number, limits: ClockLimits): EdgeCut | null {
  if (!clock.inSession) return now - clock.acceptedAt > limits.handshakeMs ? 'handshake_slow' : null;
  if (clock.busy > 0) return null;
  if (now - clock.acceptedAt > limits.sessionMs) return 'session_time';
  if (clock.dataStartedAt !== 0) {
    const allowed = limits.lineMs + (clock.dataBytes * 1000) / limits.dataMinBytesPerSecond;
    if (now - clock.dataStartedAt > allowed) return 'data_slow';
  }
  if (clock.lineStartedAt !== 0 && now - clock.lineStartedAt > limits.lineMs) return 'line_slow';
  if (!clock.authenticated && now - clock.lastInputAt > limits.unauthenticatedIdleMs) return 'idle';
  return null;
}
